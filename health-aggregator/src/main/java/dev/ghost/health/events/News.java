package dev.ghost.health.events;

import java.time.Instant;

import dev.ghost.health.fleet.InstanceView;
import dev.ghost.health.fleet.ServiceView;
import dev.ghost.health.fleet.Status;
import dev.ghost.health.fleet.Transition;
import dev.ghost.health.fleet.Transition.Kind;

/**
 * What is news given what the ledger says was told: the rules that make a transition told once by a
 * pair, and neither repeated nor lost across restarts. A watcher that starts fresh sees every
 * instance "appear"; against the ledger that is nothing new when the status is the one told, and a
 * recovery ({@code up}) when the instance was told DOWN before — so the alert it raised resolves.
 */
final class News {

    private News() {
    }

    /** The ledger key of what a transition is about. */
    static String subject(Transition transition) {
        if (transition.dependency() != null) {
            return "dependency:" + transition.dependency();
        }
        return transition.instance() != null ? "instance:" + transition.instance() : "service:" + transition.service();
    }

    /**
     * The transition as it should be told after {@code told} (null: nothing new), with the ledger entry
     * it leaves. The kind may change: an instance that appears with another status than the one told is
     * told as moving to that status.
     */
    static Told judge(Transition transition, TransitionLedger.Entry told) {
        Status last = told == null ? null : told.status();
        boolean registered = told == null || told.registered();
        Status to = transition.to();
        return switch (transition.kind()) {
            case INSTANCE_APPEARED -> {
                if (told == null) {
                    yield new Told(transition, to == Status.UP ? Status.UP : null, true);
                }
                if (last != null && isInstanceStatus(to) && last != to) {
                    yield new Told(as(transition, instanceKind(to), last), to, true);
                }
                yield registered ? null : new Told(transition, last, true);
            }
            case INSTANCE_UP, INSTANCE_DOWN, INSTANCE_FLAPPING ->
                    last == to && registered ? null : new Told(last == null ? transition : as(transition, transition.kind(), last), to, true);
            case INSTANCE_DISAPPEARED -> told != null && !registered ? null : new Told(transition, last, false);
            case SERVICE_DEGRADED, SERVICE_DOWN, SERVICE_RECOVERED, DEPENDENCY_DOWN, DEPENDENCY_UP ->
                    last == to ? null : new Told(last == null ? transition : as(transition, transition.kind(), last), to, true);
        };
    }

    /** A transition telling what {@code view} shows for a service, for comparison with the ledger. */
    static Transition seen(ServiceView service, Instant now) {
        Kind kind = switch (service.status()) {
            case UP -> Kind.SERVICE_RECOVERED;
            case DOWN -> Kind.SERVICE_DOWN;
            default -> Kind.SERVICE_DEGRADED;
        };
        return new Transition(kind, service.name(), null, Status.UNKNOWN, service.status(), now,
                service.up() + " of " + service.total() + " instances UP", "reconcile", 0, null);
    }

    /** A transition telling what {@code view} shows for an instance, for comparison with the ledger. */
    static Transition seen(InstanceView instance, Instant now) {
        Kind kind = instance.registered() ? instanceKind(instance.status()) : Kind.INSTANCE_DISAPPEARED;
        return new Transition(kind, instance.service(), instance.id(), Status.UNKNOWN, instance.status(), now,
                instance.registered() ? instance.reason() : "left the registry", "reconcile", instance.flips(), null);
    }

    /** Whether the view knows enough about a service to compare it with the ledger. */
    static boolean known(ServiceView service) {
        return service.status() == Status.UP || service.status() == Status.DEGRADED || service.status() == Status.DOWN;
    }

    static boolean known(InstanceView instance) {
        return isInstanceStatus(instance.status());
    }

    /** Nothing to tell about a subject first seen healthy by a watcher that has no record of it. */
    static boolean quietStart(Transition seen, TransitionLedger.Entry told) {
        return told == null && seen.to() == Status.UP;
    }

    private static boolean isInstanceStatus(Status status) {
        return status == Status.UP || status == Status.DOWN || status == Status.FLAPPING;
    }

    private static Kind instanceKind(Status status) {
        return switch (status) {
            case UP -> Kind.INSTANCE_UP;
            case DOWN -> Kind.INSTANCE_DOWN;
            default -> Kind.INSTANCE_FLAPPING;
        };
    }

    private static Transition as(Transition transition, Kind kind, Status from) {
        return new Transition(kind, transition.service(), transition.instance(), from, transition.to(), transition.at(),
                transition.reason(), transition.via(), transition.flips(), transition.downMillis(), transition.dependency(),
                transition.services());
    }

    /** What to tell, and the status and registration the ledger then holds. */
    record Told(Transition transition, Status status, boolean registered) {
    }
}
