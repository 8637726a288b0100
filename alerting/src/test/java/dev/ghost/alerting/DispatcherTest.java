package dev.ghost.alerting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.ghost.alerting.config.AlertingProperties;
import dev.ghost.alerting.engine.AlertEngine;
import dev.ghost.alerting.engine.Changes;
import dev.ghost.alerting.inhibition.Inhibitor;
import dev.ghost.alerting.AlertSignal;
import dev.ghost.alerting.model.Matchers;
import dev.ghost.alerting.routing.Dispatcher;
import dev.ghost.alerting.notify.Notification;
import dev.ghost.alerting.routing.Route;
import dev.ghost.alerting.routing.RouteTree;
import dev.ghost.alerting.rules.AlertRule;
import dev.ghost.alerting.rules.RuleBook;
import dev.ghost.alerting.silences.Silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Alertmanager's dispatch semantics, step by step on a fake clock. */
class DispatcherTest {

    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    static AlertRule rule(String alert, String severity, List<String> signals, List<String> resolvedBy) {
        return new AlertRule(alert, Set.copyOf(signals), Set.copyOf(resolvedBy), Matchers.ANY, severity, Duration.ZERO, null, null, 1,
                Duration.ZERO, Map.of(), null);
    }

    static final List<AlertRule> RULES = List.of(
            rule("InstanceDown", "critical", List.of("down"), List.of("up")),
            rule("ServiceDown", "critical", List.of("service.down"), List.of("service.up")),
            rule("PatchFailing", "warning", List.of("patch.failed"), List.of("patch.succeeded")));

    /** group-wait 2s, group-interval 10s, repeat 1h, resolve-wait 1s; health grouped by service. */
    static AlertingProperties.Route routes(int rateMessages) {
        return routes(rateMessages, List.of("alertname=~\"InstanceDown|ServiceDown\""), "oncall");
    }

    static AlertingProperties.Route routes(int rateMessages, List<String> healthMatchers, String healthReceiver) {
        AlertingProperties.Route health = new AlertingProperties.Route(healthReceiver, healthMatchers, List.of("service"), null, null,
                null, null, null, null, null, null);
        return new AlertingProperties.Route("team", List.of(), List.of("alertname", "target"), Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofSeconds(1), null,
                new AlertingProperties.RateLimit(rateMessages, Duration.ofMinutes(1)), null, List.of(health));
    }

    final AlertEngine engine = new AlertEngine(new RuleBook(RULES), Duration.ofMinutes(10), Duration.ofSeconds(30),
            Duration.ofHours(1), 10_000, Duration.ofMinutes(5));
    final Changes changes = new Changes();
    final List<Silence.Compiled> silences = new ArrayList<>();
    Dispatcher dispatcher = dispatcher(100, List.of());

    static Dispatcher dispatcher(int rateMessages, List<Inhibitor.Rule> inhibitions) {
        Route root = RouteTree.build(routes(rateMessages), Set.of("team", "oncall"));
        return new Dispatcher(root, new Inhibitor(inhibitions), Duration.ofDays(7), Duration.ofMinutes(10));
    }

    void signal(String name, Instant at, String... subject) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        for (int i = 0; i < subject.length; i += 2) {
            labels.put(subject[i], subject[i + 1]);
        }
        engine.apply(new AlertSignal(name, labels, null, Map.of(), List.of(), List.of(), at, null), at, changes);
        told.addAll(flush(at)); // as the alerting loop does after every signal
    }

    /** Notifications decided since the last look, including at signal time. */
    final List<Notification> told = new ArrayList<>();

    List<Notification> flush(Instant at) {
        engine.tick(at, changes);
        List<Notification> all = new ArrayList<>(told);
        told.clear();
        all.addAll(dispatcher.flush(at, engine.snapshot(), silences).notices());
        return all;
    }

    static List<String> instances(Notification notice) {
        return notice.firing().stream().map(a -> a.labels().get("instance")).sorted().toList();
    }

    @Test
    void groupWaitGathersCompanionsIntoOneMessage() {
        signal("down", T0, "service", "runner", "instance", "a");
        assertThat(flush(T0)).isEmpty();
        signal("down", T0.plusMillis(800), "service", "runner", "instance", "b");
        signal("down", T0.plusMillis(1500), "service", "runner", "instance", "c");
        assertThat(flush(T0.plusMillis(1999))).isEmpty();
        List<Notification> notices = flush(T0.plusSeconds(2));
        assertThat(notices).hasSize(1);
        Notification notice = notices.get(0);
        assertThat(notice.kind()).isEqualTo(Notification.Kind.FIRING);
        assertThat(notice.receiver()).isEqualTo("oncall");
        assertThat(notice.groupLabels()).isEqualTo(Map.of("service", "runner"));
        assertThat(instances(notice)).containsExactly("a", "b", "c");
        assertThat(notice.firstOfGroup()).isTrue();
    }

    @Test
    void anAlertAlreadyToldIsNotToldAgainAndNewOnesWaitForTheGroupInterval() {
        signal("down", T0, "service", "runner", "instance", "a");
        assertThat(flush(T0.plusSeconds(2))).hasSize(1);
        signal("down", T0.plusSeconds(3), "service", "runner", "instance", "a");
        assertThat(flush(T0.plusSeconds(12))).as("same fingerprint: deduplicated").isEmpty();
        signal("down", T0.plusSeconds(13), "service", "runner", "instance", "b");
        assertThat(flush(T0.plusSeconds(21))).isEmpty();
        List<Notification> later = flush(T0.plusSeconds(22));
        assertThat(later).hasSize(1);
        assertThat(instances(later.get(0))).containsExactly("a", "b");
        assertThat(later.get(0).firstOfGroup()).isFalse();
    }

    @Test
    void aResolveGoesOutResolveWaitAfterItNotAGroupIntervalLater() {
        signal("down", T0, "service", "runner", "instance", "a");
        Notification fired = flush(T0.plusSeconds(2)).get(0);
        signal("up", T0.plusSeconds(4), "service", "runner", "instance", "a");
        assertThat(flush(T0.plusMillis(4999))).isEmpty();
        List<Notification> resolved = flush(T0.plusSeconds(5));
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).kind()).isEqualTo(Notification.Kind.RESOLVED);
        assertThat(resolved.get(0).resolved()).hasSize(1);
        assertThat(resolved.get(0).id()).isNotEqualTo(fired.id());
        assertThat(flush(T0.plus(Duration.ofMinutes(5)))).as("told once").isEmpty();

        signal("down", T0.plus(Duration.ofMinutes(30)), "service", "runner", "instance", "a");
        List<Notification> again = flush(T0.plus(Duration.ofMinutes(30)).plusSeconds(2));
        assertThat(again).hasSize(1);
        assertThat(again.get(0).firstOfGroup()).as("a new episode, long after: a new message").isTrue();
        assertThat(again.get(0).id()).as("ids never repeat across episodes").isNotIn(fired.id(), resolved.get(0).id());
    }

    @Test
    void aGroupFiringAgainSoonAfterItsResolveContinuesItsMessage() {
        signal("down", T0, "service", "runner", "instance", "a");
        flush(T0.plusSeconds(2));
        signal("up", T0.plusSeconds(10), "service", "runner", "instance", "a");
        assertThat(flush(T0.plusSeconds(11))).extracting(Notification::kind).containsExactly(Notification.Kind.RESOLVED);
        signal("down", T0.plusSeconds(20), "service", "runner", "instance", "a");
        List<Notification> again = flush(T0.plusSeconds(22));
        assertThat(again).hasSize(1);
        assertThat(again.get(0).firstOfGroup()).isFalse();
        assertThat(again.get(0).firing().get(0).flapping()).isTrue();
    }

    @Test
    void aResolveIsHeldForResolveWaitAndAQuickReturnIsNoNews() {
        signal("down", T0, "service", "runner", "instance", "a");
        flush(T0.plusSeconds(2));
        signal("up", T0.plusMillis(11_500), "service", "runner", "instance", "a");
        assertThat(flush(T0.plusSeconds(12))).as("the regular flush is due, the resolve (1 s wait) is not yet").isEmpty();
        signal("down", T0.plusMillis(12_200), "service", "runner", "instance", "a");
        assertThat(flush(T0.plusSeconds(30))).as("back before resolve-wait ended: nothing to tell").isEmpty();
    }

    @Test
    void whileFiringTheMessageIsRepeatedAfterRepeatInterval() {
        signal("down", T0, "service", "runner", "instance", "a");
        flush(T0.plusSeconds(2));
        assertThat(flush(T0.plusSeconds(2).plus(Duration.ofMinutes(59)))).isEmpty();
        List<Notification> repeat = flush(T0.plusSeconds(2).plus(Duration.ofHours(1)).plusSeconds(10));
        assertThat(repeat).hasSize(1);
        assertThat(repeat.get(0).kind()).isEqualTo(Notification.Kind.REPEAT);
    }

    @Test
    void aServiceDownInhibitsItsInstancesAlertsButNotAnotherServicesOnes() {
        dispatcher = dispatcher(100, List.of(new Inhibitor.Rule(Matchers.parse(List.of("alertname=ServiceDown")),
                Matchers.parse(List.of("alertname=InstanceDown")), List.of("service"))));
        signal("down", T0, "service", "runner", "instance", "a");
        signal("down", T0, "service", "runner", "instance", "b");
        signal("service.down", T0, "service", "runner");
        signal("down", T0, "service", "relay", "instance", "r1");
        Dispatcher.Result result = dispatcher.flush(T0.plusSeconds(2), engine.snapshot(), silences);
        Notification runner = result.notices().stream().filter(n -> n.groupLabels().get("service").equals("runner")).findFirst().orElseThrow();
        assertThat(runner.firing()).extracting(a -> a.alertname()).containsExactly("ServiceDown");
        assertThat(runner.muted()).isEqualTo(2);
        Notification relay = result.notices().stream().filter(n -> n.groupLabels().get("service").equals("relay")).findFirst().orElseThrow();
        assertThat(relay.firing()).extracting(a -> a.alertname()).containsExactly("InstanceDown");
        assertThat(result.muted().values()).allSatisfy(m -> assertThat(m.inhibitedBy()).isNotNull());
    }

    @Test
    void aFlappingAlertStillSettlingWhenItsInhibitorResolvesIsNotNews() {
        dispatcher = dispatcher(100, List.of(new Inhibitor.Rule(Matchers.parse(List.of("alertname=InstanceDown")),
                Matchers.parse(List.of("alertname=ServiceDown")), List.of("service"))));
        signal("service.down", T0, "service", "runner");
        flush(T0.plusSeconds(2));
        signal("service.up", T0.plusSeconds(5), "service", "runner");
        flush(T0.plusSeconds(6));

        Instant outage = T0.plusSeconds(60);
        signal("down", outage, "service", "runner", "instance", "a");
        signal("service.down", outage, "service", "runner");
        List<Notification> fired = flush(outage.plusSeconds(2));
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).firing()).extracting(a -> a.alertname()).containsExactly("InstanceDown");

        signal("up", outage.plusSeconds(10), "service", "runner", "instance", "a");
        signal("service.up", outage.plusSeconds(11), "service", "runner");
        List<Notification> after = new ArrayList<>();
        for (int second = 12; second <= 60; second++) {
            after.addAll(flush(outage.plusSeconds(second)));
        }
        assertThat(after).as("the service alert was never told: its settling after the instance's resolve is no page")
                .extracting(Notification::kind).containsExactly(Notification.Kind.RESOLVED);
        assertThat(after.get(0).resolved()).extracting(a -> a.alertname()).containsExactly("InstanceDown");
    }

    @Test
    void silencedAlertsAreNotToldUntilTheSilenceEnds() {
        Silence silence = new Silence("s1", List.of(new Silence.MatcherSpec("service", "=~", "run.*")), T0,
                T0.plusSeconds(60), "admin", "maintenance", T0, T0);
        silences.add(Silence.Compiled.of(silence));
        signal("down", T0, "service", "runner", "instance", "a");
        signal("patch.failed", T0, "target", "web");
        Dispatcher.Result during = dispatcher.flush(T0.plusSeconds(5), engine.snapshot(), silences);
        assertThat(during.notices()).extracting(n -> n.firing().get(0).alertname()).containsExactly("PatchFailing");
        assertThat(during.muted().values()).extracting(Dispatcher.MuteInfo::silencedBy).containsExactly(List.of("s1"));
        assertThat(flush(T0.plusSeconds(59))).isEmpty();
        assertThat(flush(T0.plusSeconds(60))).as("silence over: the group starts").isEmpty();
        List<Notification> after = flush(T0.plusSeconds(62));
        assertThat(after).hasSize(1);
        assertThat(instances(after.get(0))).containsExactly("a");
    }

    @Test
    void overTheRateLimitWaitingGroupsBecomeOneSummary() {
        dispatcher = dispatcher(2, List.of());
        for (String target : List.of("t1", "t2", "t3", "t4", "t5")) {
            signal("patch.failed", T0, "target", target);
        }
        List<Notification> notices = flush(T0.plusSeconds(2));
        assertThat(notices).hasSize(1);
        Notification storm = notices.get(0);
        assertThat(storm.kind()).isEqualTo(Notification.Kind.STORM);
        assertThat(storm.groups()).hasSize(5);
        assertThat(storm.alertCount()).isEqualTo(5);
        signal("patch.failed", T0.plusSeconds(3), "target", "t6");
        List<Notification> next = flush(T0.plusSeconds(5));
        assertThat(next).hasSize(1);
        assertThat(next.get(0).kind()).as("within the limit again: a normal message").isEqualTo(Notification.Kind.FIRING);
        signal("patch.failed", T0.plusSeconds(6), "target", "t7");
        signal("patch.failed", T0.plusSeconds(6), "target", "t8");
        assertThat(flush(T0.plusSeconds(8))).as("limit used up: they wait").isEmpty();
        assertThat(dispatcher.nextDue(T0.plusSeconds(8))).isEqualTo(T0.plusSeconds(2).plus(Duration.ofMinutes(1)));
        List<Notification> late = flush(T0.plusSeconds(62));
        assertThat(late).hasSize(1);
        assertThat(late.get(0).kind()).isEqualTo(Notification.Kind.STORM);
        assertThat(late.get(0).groups()).hasSize(2);
    }

    @Test
    void aDecisionReplayedFromScratchCarriesTheSameIdSoTheOutboxTakesItOnce() {
        signal("down", T0, "service", "runner", "instance", "a");
        String first = flush(T0.plusSeconds(2)).get(0).id();
        Dispatcher replay = dispatcher(100, List.of()); // a restart that lost the group state
        assertThat(replay.flush(T0.plusSeconds(2), engine.snapshot(), silences).notices()).isEmpty();
        assertThat(replay.flush(T0.plusSeconds(4), engine.snapshot(), silences).notices()).extracting(Notification::id)
                .containsExactly(first);
    }

    @Test
    void anInvalidRouteStopsTheStartNamingIt() {
        AlertingProperties.Route root = routes(10, List.of("service=~\"(\""), "oncall");
        assertThatThrownBy(() -> RouteTree.build(root, Set.of("team", "oncall")))
                .hasMessageContaining("node 0.0").hasMessageContaining("invalid regular expression");
        AlertingProperties.Route unknown = routes(10, List.of("alertname=~\"InstanceDown|ServiceDown\""), "nobody");
        assertThatThrownBy(() -> RouteTree.build(unknown, Set.of("team", "oncall"))).hasMessageContaining("'nobody'");
    }
}
