package dev.ghost.alerting;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ghost.alerting.engine.AlertEngine;
import dev.ghost.alerting.engine.Changes;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.alerting.AlertSignal;
import dev.ghost.alerting.model.AlertState;
import dev.ghost.alerting.rules.AlertRule;
import dev.ghost.alerting.rules.RuleBook;

import static org.assertj.core.api.Assertions.assertThat;

class AlertEngineTest {

    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    static AlertRule rule(String alert, List<String> signals, List<String> resolvedBy, Duration pendingFor, int minCount,
            Duration resolveAfter, Double above) {
        return new AlertRule(alert, java.util.Set.copyOf(signals), java.util.Set.copyOf(resolvedBy), dev.ghost.alerting.model.Matchers.ANY, "critical", pendingFor,
                above, null, minCount, resolveAfter, Map.of(), "{alertname} on {instance}{target}");
    }

    static final AlertRule DOWN = rule("InstanceDown", List.of("down", "flapping"), List.of("up"), Duration.ZERO, 1,
            Duration.ZERO, null);

    AlertEngine engine(AlertRule... rules) {
        return new AlertEngine(new RuleBook(List.of(rules)), Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofHours(1), 10_000, Duration.ofMinutes(5));
    }

    static AlertSignal signal(String name, Map<String, String> subject, Map<String, String> annotations) {
        return new AlertSignal(name, subject, null, annotations, List.of(), List.of(), T0, null);
    }

    static final Map<String, String> A = Map.of("service", "s", "instance", "a");

    AlertData only(AlertEngine engine) {
        assertThat(engine.snapshot()).hasSize(1);
        return engine.snapshot().get(0);
    }

    @Test
    void aSignalWithoutForFiresAtOnceAndItsResolvingSignalResolvesIt() {
        AlertEngine engine = engine(DOWN);
        Changes changes = new Changes();
        engine.apply(signal("down", A, Map.of()), T0, changes);
        assertThat(only(engine).state()).isEqualTo(AlertState.FIRING);
        assertThat(only(engine).startsAt()).isEqualTo(T0);
        assertThat(only(engine).summary()).isEqualTo("InstanceDown on a?");
        engine.apply(signal("up", Map.of("service", "s", "instance", "other"), Map.of()), T0.plusSeconds(1), changes);
        assertThat(only(engine).state()).as("another subject's recovery").isEqualTo(AlertState.FIRING);
        engine.apply(signal("up", A, Map.of()), T0.plusSeconds(5), changes);
        assertThat(only(engine).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(only(engine).endsAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(changes.transitions()).extracting(Changes.Transition::kind)
                .containsExactly(Changes.Kind.PENDING, Changes.Kind.FIRING, Changes.Kind.RESOLVED);
    }

    @Test
    void forHoldsTheAlertPendingAndAShortBlipNeverFires() {
        AlertRule slow = rule("InstanceDown", List.of("down"), List.of("up"), Duration.ofSeconds(20), 1, Duration.ZERO, null);
        AlertEngine engine = engine(slow);
        Changes changes = new Changes();
        engine.apply(signal("down", A, Map.of()), T0, changes);
        engine.tick(T0.plusSeconds(19), changes);
        assertThat(only(engine).state()).isEqualTo(AlertState.PENDING);
        assertThat(engine.nextDue()).isEqualTo(T0.plusSeconds(20));
        engine.tick(T0.plusSeconds(20), changes);
        assertThat(only(engine).state()).isEqualTo(AlertState.FIRING);

        AlertEngine blip = engine(slow);
        blip.apply(signal("down", A, Map.of()), T0, changes);
        blip.apply(signal("up", A, Map.of()), T0.plusSeconds(15), changes);
        blip.tick(T0.plusSeconds(60), changes);
        assertThat(blip.snapshot()).isEmpty();
    }

    @Test
    void aStreakOfFailuresOnOneTargetIsOneAlertCountingThemAndMinCountWaitsForTheStreak() {
        AlertRule failing = rule("PatchFailing", List.of("patch.failed"), List.of("patch.succeeded"), Duration.ZERO, 2,
                Duration.ZERO, null);
        AlertEngine engine = engine(failing);
        Changes changes = new Changes();
        Map<String, String> target = Map.of("target", "web");
        engine.apply(signal("patch.failed", target, Map.of("cause", "compile")), T0, changes);
        assertThat(only(engine).state()).isEqualTo(AlertState.PENDING);
        engine.apply(signal("patch.failed", target, Map.of("cause", "compile")), T0.plusSeconds(30), changes);
        engine.apply(signal("patch.failed", target, Map.of("cause", "test failure")), T0.plusSeconds(60), changes);
        AlertData alert = only(engine);
        assertThat(alert.state()).isEqualTo(AlertState.FIRING);
        assertThat(alert.count()).isEqualTo(3);
        assertThat(alert.occurrences()).extracting(o -> o.cause()).containsExactly("compile", "compile", "test failure");
        assertThat(alert.annotations()).containsEntry("cause", "test failure");
        engine.apply(signal("patch.succeeded", target, Map.of()), T0.plusSeconds(90), changes);
        assertThat(only(engine).state()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void thresholdsFilterSignalsByValue() {
        AlertRule anomaly = rule("MetricAnomaly", List.of("ml.anomaly"), List.of(), Duration.ZERO, 1, Duration.ofMinutes(5), 0.9);
        AlertEngine engine = engine(anomaly);
        Changes changes = new Changes();
        engine.apply(new AlertSignal("ml.anomaly", Map.of("series", "cpu"), 0.5, Map.of(), List.of(), List.of(), T0, null), T0, changes);
        assertThat(engine.snapshot()).isEmpty();
        engine.apply(new AlertSignal("ml.anomaly", Map.of("series", "cpu"), 0.95, Map.of(), List.of(), List.of(), T0, null), T0, changes);
        assertThat(only(engine).state()).isEqualTo(AlertState.FIRING);
    }

    @Test
    void pointInTimeSignalsResolveWhenNotSeenForResolveAfter() {
        AlertRule burst = rule("AnomalyBurst", List.of("ml.burst"), List.of(), Duration.ZERO, 1, Duration.ofMinutes(10), null);
        AlertEngine engine = engine(burst);
        Changes changes = new Changes();
        engine.apply(signal("ml.burst", Map.of("source", "x"), Map.of()), T0, changes);
        engine.apply(signal("ml.burst", Map.of("source", "x"), Map.of()), T0.plusSeconds(300), changes);
        engine.tick(T0.plusSeconds(300 + 599), changes);
        assertThat(only(engine).state()).isEqualTo(AlertState.FIRING);
        engine.tick(T0.plusSeconds(300 + 600), changes);
        assertThat(only(engine).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(only(engine).endsAt()).isEqualTo(T0.plusSeconds(900));
    }

    @Test
    void firingAgainSoonAfterResolvingIsOneFlappingEpisodeThatResolvesOnlyOnceSettled() {
        AlertEngine engine = engine(DOWN);
        Changes changes = new Changes();
        engine.apply(signal("down", A, Map.of()), T0, changes);
        engine.apply(signal("up", A, Map.of()), T0.plusSeconds(10), changes);
        engine.apply(signal("down", A, Map.of()), T0.plusSeconds(20), changes);
        AlertData again = only(engine);
        assertThat(again.state()).isEqualTo(AlertState.FIRING);
        assertThat(again.flapping()).isTrue();
        assertThat(again.flips()).isEqualTo(1);
        assertThat(again.startsAt()).as("the episode's start").isEqualTo(T0);

        engine.apply(signal("up", A, Map.of()), T0.plusSeconds(30), changes);
        engine.tick(T0.plusSeconds(45), changes);
        assertThat(only(engine).state()).as("held while it may flip again").isEqualTo(AlertState.FIRING);
        engine.apply(signal("down", A, Map.of()), T0.plusSeconds(50), changes);
        engine.apply(signal("up", A, Map.of()), T0.plusSeconds(60), changes);
        assertThat(only(engine).flips()).isEqualTo(2);
        engine.tick(T0.plusSeconds(89), changes);
        assertThat(only(engine).state()).isEqualTo(AlertState.FIRING);
        engine.tick(T0.plusSeconds(90), changes);
        assertThat(only(engine).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(only(engine).endsAt()).as("resolved when it really came back").isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void aSourceThatKnowsItFlapsIsBelievedBothWays() {
        AlertEngine engine = engine(DOWN);
        Changes changes = new Changes();
        engine.apply(signal("flapping", A, Map.of("flapping", "true", "flips", "5")), T0, changes);
        assertThat(only(engine).flapping()).isTrue();
        assertThat(only(engine).flips()).isEqualTo(5);
        engine.apply(signal("up", A, Map.of("settled", "true")), T0.plusSeconds(60), changes);
        assertThat(only(engine).state()).as("the source waited for it to settle already").isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void aLongQuietStartsANewEpisode() {
        AlertEngine engine = engine(DOWN);
        Changes changes = new Changes();
        engine.apply(signal("down", A, Map.of()), T0, changes);
        engine.apply(signal("up", A, Map.of()), T0.plusSeconds(10), changes);
        engine.apply(signal("down", A, Map.of()), T0.plusSeconds(10 + 601), changes);
        assertThat(only(engine).flapping()).isFalse();
        assertThat(only(engine).startsAt()).isEqualTo(T0.plusSeconds(611));
        assertThat(only(engine).count()).isEqualTo(1);
    }

    @Test
    void beyondMaxAlertsNewOnesAreRefusedButKnownOnesStillChange() {
        AlertEngine engine = new AlertEngine(new RuleBook(List.of(DOWN)), Duration.ofMinutes(10), Duration.ofSeconds(30),
                Duration.ofHours(1), 2, Duration.ofMinutes(5));
        Changes changes = new Changes();
        for (String instance : List.of("a", "b", "c", "d")) {
            engine.apply(signal("down", Map.of("service", "s", "instance", instance), Map.of()), T0, changes);
        }
        assertThat(engine.snapshot()).hasSize(2);
        assertThat(engine.refused()).isEqualTo(2);
        engine.apply(signal("up", Map.of("service", "s", "instance", "a"), Map.of()), T0.plusSeconds(1), changes);
        assertThat(engine.snapshot()).filteredOn(a -> a.state() == AlertState.RESOLVED).hasSize(1);
    }

    @Test
    void resolvedAlertsAreForgottenAfterTheRecentWindow() {
        AlertEngine engine = engine(DOWN);
        Changes changes = new Changes();
        engine.apply(signal("down", A, Map.of()), T0, changes);
        engine.apply(signal("up", A, Map.of()), T0.plusSeconds(10), changes);
        changes.clear();
        engine.tick(T0.plusSeconds(10).plus(Duration.ofHours(1)).plusSeconds(1), changes);
        assertThat(engine.snapshot()).isEmpty();
        assertThat(changes.removed()).hasSize(1);
    }
}
