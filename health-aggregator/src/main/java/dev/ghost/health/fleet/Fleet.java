package dev.ghost.health.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ghost.health.config.HealthProperties;
import dev.ghost.health.probe.ConnectionWatch;
import dev.ghost.health.probe.Figures;
import dev.ghost.health.probe.HealthProbe;
import dev.ghost.health.probe.MetricsSnapshot;
import dev.ghost.health.probe.Prober;
import dev.ghost.health.probe.Scrape;
import dev.ghost.health.probe.Target;

/**
 * The heart of the aggregator: polls every registered instance each interval, confirms every
 * change with quick re-probes before it counts, reacts at once to what is already known (an
 * instance that left the registry, closed its connection, or that a caller could not reach),
 * rolls instances up into services and the system, and hands transitions and figures to a
 * {@link FleetListener}.
 *
 * <p>All state lives on one thread ({@code health-fleet}); probes run asynchronously and post
 * their results back to it, so there are no locks and a slow instance never holds that thread.
 */
public final class Fleet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Fleet.class);
    /** An instance without metrics is asked again every this many rounds (it may have gained them). */
    private static final int METRICS_RETRY_ROUNDS = 30;
    /** Registry refreshes in a row that must miss an instance before it counts as gone. */
    private static final int REGISTRY_ABSENCES = 2;

    private final HealthProperties properties;
    private final Prober prober;
    private final FleetListener listener;
    private final Executor output;
    private final Clock clock;
    private final InstanceTracker.Rules rules;
    private final ScheduledExecutorService loop;
    private final ConnectionWatch watch;

    private final Map<String, InstanceTracker> trackers = new LinkedHashMap<>();
    private final Map<String, Status> serviceStatus = new HashMap<>();
    private final Map<String, Instant> serviceSince = new HashMap<>();
    /** Dependencies now DOWN (see {@link #dependencies}), with when they went down. */
    private final Map<String, Instant> dependencyDownSince = new HashMap<>();
    private final AtomicReference<FleetView> view;
    private long version;
    private volatile long generation;
    private long roundNumber;
    private RoundInProgress round;
    private FleetView.Round lastRound;

    public Fleet(HealthProperties properties, Prober prober, FleetListener listener, Executor output, Clock clock) {
        this.properties = properties;
        this.prober = prober;
        this.listener = listener;
        this.output = output;
        this.clock = clock;
        this.rules = new InstanceTracker.Rules(properties.confirmations(), properties.flapThreshold(),
                properties.flapWindow(), properties.settleAfter());
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "health-fleet");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.loop = executor;
        this.watch = properties.watchConnections() ? new ConnectionWatch(id -> loop.execute(() -> connectionClosed(id))) : null;
        this.view = new AtomicReference<>(FleetView.empty(properties.interval().toMillis()));
    }

    /** Starts polling: the first round at once, then every interval. */
    public void start() {
        long interval = properties.interval().toMillis();
        loop.scheduleAtFixedRate(guarded(this::startRound), 0, interval, TimeUnit.MILLISECONDS);
    }

    /** Grows with every batch of transitions: answers computed under an older generation are stale. */
    public long generation() {
        return generation;
    }

    /** The latest picture; cheap, never blocks. */
    public FleetView view() {
        return view.get();
    }

    /**
     * The registry's current instances. New ones are probed at once; one that is missing is probed
     * at once too (a graceful shutdown deregisters before it stops answering) and reported as gone
     * when a second refresh still misses it.
     */
    public void reconcile(Collection<Target> registered) {
        List<Target> copy = List.copyOf(registered);
        loop.execute(guarded(() -> applyRegistry(copy)));
    }

    /**
     * Someone could not reach an instance (e.g. the relay's call failed to connect): probe it now.
     * Matches the instance id, or {@code host:port}. Answers whether the instance is known.
     */
    public CompletableFuture<Boolean> hint(String instance, String reason) {
        CompletableFuture<Boolean> known = new CompletableFuture<>();
        loop.execute(guarded(() -> {
            InstanceTracker tracker = find(instance);
            known.complete(tracker != null);
            if (tracker != null) {
                log.info("Hint about {}: {}", tracker.target.id(), reason);
                probeNow(tracker, "hint");
            }
        }));
        return known;
    }

    private InstanceTracker find(String instance) {
        InstanceTracker byId = trackers.get(instance);
        if (byId != null) {
            return byId;
        }
        return trackers.values().stream()
                .filter(t -> instance.equalsIgnoreCase(t.target.host() + ":" + t.target.port()))
                .findFirst().orElse(null);
    }

    // ---- registry

    private void applyRegistry(List<Target> registered) {
        Instant now = clock.instant();
        Map<String, Target> byId = new HashMap<>();
        registered.forEach(target -> byId.put(target.id(), target));
        List<Transition> transitions = new ArrayList<>();
        for (InstanceTracker tracker : new ArrayList<>(trackers.values())) {
            Target current = byId.remove(tracker.target.id());
            if (current == null && tracker.registered) {
                // One refresh without it may be the registry's hiccup: probe at once (a stopped instance is DOWN
                // within seconds either way) and call it gone only when the next refresh agrees.
                if (++tracker.absences < REGISTRY_ABSENCES) {
                    probeNow(tracker, "registry");
                    continue;
                }
                tracker.registered = false;
                tracker.goneAt = now;
                unwatch(tracker);
                transitions.add(instanceTransition(tracker, Transition.Kind.INSTANCE_DISAPPEARED, tracker.status, now,
                        "left the registry", "registry", null));
            } else if (current != null) {
                tracker.absences = 0;
                if (!current.sameEndpoints(tracker.target)) {
                    unwatch(tracker);
                }
                tracker.target = current;
                if (!tracker.registered) {
                    tracker.registered = true;
                    tracker.awaitingProbe = true;
                    tracker.registeredAgainAt = now;
                    tracker.goneAt = null;
                    transitions.add(instanceTransition(tracker, Transition.Kind.INSTANCE_APPEARED, tracker.status, now,
                            "registered again", "registry", null));
                    probeNow(tracker, "registry");
                }
            } else if (tracker.goneAt.plus(properties.forgetAfter()).isBefore(now)) {
                trackers.remove(tracker.target.id());
            }
        }
        for (Target added : byId.values()) {
            InstanceTracker tracker = new InstanceTracker(added);
            trackers.put(added.id(), tracker);
            probeNow(tracker, "registry");
        }
        settle(transitions, now);
        if (transitions.isEmpty()) {
            publishView();
        }
    }

    // ---- polling rounds

    private void startRound() {
        Instant now = clock.instant();
        if (round != null) {
            finishRound(); // the previous round's stragglers are timed out by now; do not let them hold the figures back
        }
        round = new RoundInProgress(++roundNumber, now, System.nanoTime());
        for (InstanceTracker tracker : trackers.values()) {
            if (!tracker.registered || tracker.roundInFlight) {
                continue;
            }
            tracker.roundInFlight = true;
            round.pending++;
            RoundInProgress thisRound = round;
            boolean askMetrics = !tracker.metricsMissing || roundNumber % METRICS_RETRY_ROUNDS == 0;
            CompletableFuture<HealthProbe> health = prober.health(tracker.target);
            CompletableFuture<Scrape> metrics = askMetrics
                    ? prober.metrics(tracker.target) : CompletableFuture.completedFuture(Scrape.NOT_ASKED);
            health.thenCombine(metrics, (probe, scrape) -> {
                loop.execute(guarded(() -> roundResult(thisRound, tracker, probe, scrape)));
                return null;
            });
        }
        if (round.pending == 0) {
            finishRound();
        }
    }

    private void roundResult(RoundInProgress thisRound, InstanceTracker tracker, HealthProbe probe, Scrape scrape) {
        tracker.roundInFlight = false;
        if (trackers.get(tracker.target.id()) != tracker) {
            return; // forgotten meanwhile
        }
        Instant now = clock.instant();
        List<Transition> transitions = new ArrayList<>();
        if (scrape != Scrape.NOT_ASKED) {
            tracker.metricsMissing = scrape.absent();
        }
        MetricsSnapshot snapshot = scrape.snapshot();
        if (snapshot != null) {
            Figures figures = Figures.between(tracker.snapshot, snapshot);
            tracker.snapshot = snapshot;
            tracker.figures = figures;
            if (Boolean.TRUE.equals(figures.restarted())) {
                Status flapping = tracker.restarted(now, rules);
                if (flapping != null) {
                    move(tracker, flapping, now, "restarted between polls", "poll", transitions);
                }
            }
        } else if (!probe.up()) {
            tracker.figures = null;
        }
        observe(tracker, probe, now, "poll", transitions);
        if (probe.up() && tracker.registered) {
            watch(tracker);
        }
        if (thisRound == round) {
            round.samples.add(new Sample(tracker.target.service(), tracker.target.id(), now.toEpochMilli(), probe.up(),
                    tracker.status, probe.latencyMs(), snapshot == null ? null : tracker.figures));
            if (--round.pending == 0) {
                finishRound();
            }
        }
        settle(transitions, now);
    }

    private void finishRound() {
        RoundInProgress done = round;
        round = null;
        lastRound = new FleetView.Round(done.number, done.startedAt, (System.nanoTime() - done.startedNanos) / 1_000_000,
                done.samples.size());
        FleetView current = publishView();
        List<Sample> samples = List.copyOf(done.samples);
        FleetView.Round summary = lastRound;
        output.execute(() -> listener.round(summary, samples, current));
    }

    // ---- out-of-round probes: confirmations, watch, hints, registry

    private void probeNow(InstanceTracker tracker, String via) {
        if (tracker.probeInFlight) {
            return;
        }
        tracker.probeInFlight = true;
        prober.health(tracker.target).thenAccept(probe -> loop.execute(guarded(() -> {
            tracker.probeInFlight = false;
            probed(tracker, probe, via);
        })));
    }

    private void probed(InstanceTracker tracker, HealthProbe probe, String via) {
        if (trackers.get(tracker.target.id()) != tracker) {
            return;
        }
        Instant now = clock.instant();
        List<Transition> transitions = new ArrayList<>();
        observe(tracker, probe, now, via, transitions);
        settle(transitions, now);
    }

    private void observe(InstanceTracker tracker, HealthProbe probe, Instant now, String via, List<Transition> transitions) {
        int generation = tracker.confirmGeneration;
        String startedVia = tracker.suspectVia;
        Status next = tracker.observe(probe, now, via, rules);
        if (next != null) {
            move(tracker, next, now, probe.up() ? null : probe.reason(), startedVia != null ? startedVia : via, transitions);
        } else if (tracker.suspect != null && tracker.confirmGeneration != generation) {
            scheduleConfirmations(tracker);
        }
    }

    /** The re-probes of a suspicion, spread evenly over confirm-within; dropped if the suspicion ends first. */
    private void scheduleConfirmations(InstanceTracker tracker) {
        int generation = tracker.confirmGeneration;
        long spacing = Math.max(1, properties.confirmWithin().toMillis() / Math.max(1, properties.confirmations()));
        for (int i = 1; i <= properties.confirmations(); i++) {
            loop.schedule(guarded(() -> {
                if (tracker.confirmGeneration == generation && tracker.suspect != null
                        && trackers.get(tracker.target.id()) == tracker) {
                    confirm(tracker, generation);
                }
            }), spacing * i, TimeUnit.MILLISECONDS);
        }
    }

    private void confirm(InstanceTracker tracker, int generation) {
        prober.health(tracker.target).thenAccept(probe -> loop.execute(guarded(() -> {
            if (tracker.confirmGeneration == generation && trackers.get(tracker.target.id()) == tracker) {
                probed(tracker, probe, "confirm");
            }
        })));
    }

    private void connectionClosed(String id) {
        InstanceTracker tracker = trackers.get(id);
        if (tracker == null) {
            return;
        }
        tracker.watched = false;
        // Servers also close idle connections: a probe tells which. The watch is renewed by the next good poll.
        probeNow(tracker, "watch");
    }

    private void watch(InstanceTracker tracker) {
        if (watch != null && !tracker.watched) {
            tracker.watched = true;
            watch.watch(tracker.target.id(), tracker.target.host(), tracker.target.port());
        }
    }

    private void unwatch(InstanceTracker tracker) {
        if (watch != null && tracker.watched) {
            tracker.watched = false;
            watch.unwatch(tracker.target.id());
        }
    }

    // ---- transitions and roll-up

    private void move(InstanceTracker tracker, Status next, Instant now, String reason, String via,
            List<Transition> transitions) {
        Status from = tracker.status;
        int flips = tracker.flipCount(now, rules);
        Long downMillis = tracker.moveTo(next, now);
        if (!tracker.announced) {
            // A new instance is announced once, with the status it turned out to have; only a bad one is news beyond that.
            tracker.announced = true;
            transitions.add(instanceTransition(tracker, Transition.Kind.INSTANCE_APPEARED, from, now, null, via, null));
            if (next == Status.UP) {
                return;
            }
        }
        Transition.Kind kind = switch (next) {
            case UP -> Transition.Kind.INSTANCE_UP;
            case DOWN -> Transition.Kind.INSTANCE_DOWN;
            case FLAPPING -> Transition.Kind.INSTANCE_FLAPPING;
            default -> throw new IllegalStateException("instances do not become " + next);
        };
        transitions.add(new Transition(kind, tracker.target.service(), tracker.target.id(), from, next, now, reason, via,
                next == Status.FLAPPING || from == Status.FLAPPING ? flips : 0, downMillis));
    }

    private Transition instanceTransition(InstanceTracker tracker, Transition.Kind kind, Status from, Instant now,
            String reason, String via, Long downMillis) {
        return new Transition(kind, tracker.target.service(), tracker.target.id(), from, tracker.status, now, reason, via,
                0, downMillis);
    }

    /** Adds the service transitions the instance transitions cause, publishes the view, tells the listener. */
    private void settle(List<Transition> transitions, Instant now) {
        if (transitions.isEmpty()) {
            return;
        }
        for (Map.Entry<String, List<InstanceTracker>> service : byService().entrySet()) {
            Status next = serviceStatus(service.getValue());
            Status previous = serviceStatus.getOrDefault(service.getKey(), Status.UNKNOWN);
            // UNKNOWN while its only instances await their first probe after a restart: the service keeps
            // its last known status, so the probe's answer is the one transition (e.g. DOWN -> recovered).
            if (next == previous || next == Status.UNKNOWN && previous != Status.UNKNOWN) {
                continue;
            }
            serviceStatus.put(service.getKey(), next);
            serviceSince.put(service.getKey(), now);
            Transition.Kind kind = switch (next) {
                case UP -> previous == Status.UNKNOWN ? null : Transition.Kind.SERVICE_RECOVERED;
                case DEGRADED -> Transition.Kind.SERVICE_DEGRADED;
                case DOWN -> Transition.Kind.SERVICE_DOWN;
                default -> null;
            };
            if (kind != null) {
                transitions.add(new Transition(kind, service.getKey(), null, previous, next, now,
                        serviceReason(service.getValue()), null, 0, null));
            }
        }
        serviceStatus.keySet().retainAll(byService().keySet());
        dependencies(transitions, now);
        generation++;
        FleetView current = publishView();
        List<Transition> told = List.copyOf(transitions);
        told.forEach(t -> log.info("{} {} {} -> {}{}", t.kind().eventType(), t.subject(), t.from(), t.to(),
                t.reason() != null ? " (" + t.reason() + ")" : ""));
        output.execute(() -> listener.transitions(told, current));
    }

    /**
     * One cause, one event: when several services are DOWN because of the same shared dependency (their
     * {@code redis} health component failing), or several services' instances left the registry while
     * they still answer (the registry lost them), the dependency is DOWN. It is UP again only once no
     * instance is down because of it, so every service transition it explains comes before its
     * {@code up}: whoever inhibits by it never sees a service outage it caused outlive it.
     */
    private void dependencies(List<Transition> transitions, Instant now) {
        Map<String, Set<String>> blamed = new TreeMap<>();
        properties.dependencies().values().forEach(dependency -> blamed.put(dependency, new TreeSet<>()));
        blamed.put(properties.registryDependency(), new TreeSet<>());
        for (InstanceTracker tracker : trackers.values()) {
            if (tracker.registered && tracker.status == Status.DOWN) {
                tracker.failingComponents.stream().map(properties.dependencies()::get).filter(Objects::nonNull)
                        .forEach(dependency -> blamed.get(dependency).add(tracker.target.service()));
            } else if (!tracker.registered && tracker.status == Status.UP) {
                blamed.get(properties.registryDependency()).add(tracker.target.service());
            }
        }
        blamed.forEach((dependency, services) -> {
            Instant downSince = dependencyDownSince.get(dependency);
            if (downSince == null && services.size() >= properties.dependencyMinServices()) {
                dependencyDownSince.put(dependency, now);
                String reason = dependency.equals(properties.registryDependency())
                        ? services.size() + " services left the registry while still answering: " + String.join(", ", services)
                        : services.size() + " services are DOWN with " + dependency + " failing: " + String.join(", ", services);
                transitions.add(Transition.dependency(Transition.Kind.DEPENDENCY_DOWN, dependency, Status.UP, Status.DOWN, now,
                        reason, List.copyOf(services), null));
            } else if (downSince != null && services.isEmpty()) {
                dependencyDownSince.remove(dependency);
                transitions.add(Transition.dependency(Transition.Kind.DEPENDENCY_UP, dependency, Status.DOWN, Status.UP, now,
                        null, List.of(), now.toEpochMilli() - downSince.toEpochMilli()));
            }
        });
    }

    private Map<String, List<InstanceTracker>> byService() {
        Map<String, List<InstanceTracker>> services = new TreeMap<>();
        trackers.values().forEach(t -> services.computeIfAbsent(t.target.service(), s -> new ArrayList<>()).add(t));
        return services;
    }

    /**
     * UP when all registered instances are, DEGRADED when some are not, DOWN when none answers or none is
     * left; an instance back in the registry counts once it has been probed again.
     */
    static Status serviceStatus(List<InstanceTracker> instances) {
        List<InstanceTracker> registered = instances.stream().filter(t -> t.registered).toList();
        if (registered.isEmpty()) {
            return instances.stream().anyMatch(t -> t.status != Status.UNKNOWN) ? Status.DOWN : Status.UNKNOWN;
        }
        List<InstanceTracker> counted = registered.stream().filter(t -> !t.awaitingProbe).toList();
        long known = counted.stream().filter(t -> t.status != Status.UNKNOWN).count();
        long up = counted.stream().filter(t -> t.status == Status.UP).count();
        long flapping = counted.stream().filter(t -> t.status == Status.FLAPPING).count();
        if (known == 0) {
            return Status.UNKNOWN;
        }
        if (up == known) {
            return Status.UP;
        }
        return up + flapping == 0 ? Status.DOWN : Status.DEGRADED;
    }

    private static String serviceReason(List<InstanceTracker> instances) {
        List<InstanceTracker> registered = instances.stream().filter(t -> t.registered).toList();
        if (registered.isEmpty()) {
            return "no instance registered";
        }
        long up = registered.stream().filter(t -> t.status == Status.UP).count();
        return up + " of " + registered.size() + " instances UP";
    }

    private FleetView publishView() {
        Instant now = clock.instant();
        List<ServiceView> services = new ArrayList<>();
        EnumMap<Status, Integer> counts = new EnumMap<>(Status.class);
        Status system = Status.UNKNOWN;
        boolean anyUp = false;
        for (Map.Entry<String, List<InstanceTracker>> service : byService().entrySet()) {
            List<InstanceTracker> instances = service.getValue();
            Status status = serviceStatus(instances);
            List<InstanceView> views = instances.stream()
                    .sorted(Comparator.comparing((InstanceTracker t) -> !t.registered).thenComparing(t -> t.target.id()))
                    .map(t -> t.view(now, rules)).toList();
            int total = (int) instances.stream().filter(t -> t.registered && t.status != Status.UNKNOWN).count();
            int up = (int) instances.stream().filter(t -> t.registered && t.status == Status.UP).count();
            services.add(new ServiceView(service.getKey(), status, serviceSince.get(service.getKey()), up, total, views));
            counts.merge(status, 1, Integer::sum);
            system = Status.worst(system, status == Status.DOWN ? Status.DEGRADED : status);
            anyUp |= status == Status.UP || status == Status.DEGRADED;
        }
        if (!services.isEmpty() && !anyUp && counts.containsKey(Status.DOWN)) {
            system = Status.DOWN;
        }
        FleetView next = new FleetView(++version, now, system, Map.copyOf(counts), properties.interval().toMillis(),
                lastRound, List.copyOf(services));
        view.set(next);
        return next;
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("Health fleet step failed", e);
            }
        };
    }

    @Override
    public void close() {
        loop.shutdownNow();
        if (watch != null) {
            watch.close();
        }
    }

    private static final class RoundInProgress {
        final long number;
        final Instant startedAt;
        final long startedNanos;
        final List<Sample> samples = new ArrayList<>();
        int pending;

        RoundInProgress(long number, Instant startedAt, long startedNanos) {
            this.number = number;
            this.startedAt = startedAt;
            this.startedNanos = startedNanos;
        }
    }
}
