package dev.ghost.health.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.ghost.health.fake.FakeInstance;
import dev.ghost.health.fake.FakeInstance.Mode;
import dev.ghost.health.probe.Target;

/**
 * The aggregation rules against real HTTP instances: UP/DEGRADED/DOWN roll-up, hold-for-N
 * confirmation, flapping reported once, a hanging instance delaying nobody, and the fast paths
 * (a killed instance noticed through its closed connection, a hint, the registry).
 */
class FleetRulesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @Test
    void serviceIsDegradedWhenSomeInstancesAreDownAndDownWhenNoneAnswers() {
        try (FleetHarness harness = new FleetHarness(Map.of())) {
            FakeInstance a = harness.fake("orders");
            FakeInstance b = harness.fake("orders");
            harness.start(List.of(a.target(), b.target()));
            await().atMost(PATIENCE).until(() -> harness.fleet.view().status() == Status.UP);
            assertThat(harness.events("orders")).isEmpty();
            assertThat(harness.events(a.target().id())).containsExactly("health.instance.appeared");

            a.mode(Mode.DOWN);
            await().atMost(PATIENCE).until(() -> harness.events("orders").contains("health.service.degraded"));
            assertThat(harness.status(a.target().id())).isEqualTo(Status.DOWN);
            assertThat(harness.fleet.view().service("orders").up()).isEqualTo(1);

            b.kill();
            await().atMost(PATIENCE).until(() -> harness.events("orders").contains("health.service.down"));
            assertThat(harness.fleet.view().status()).isEqualTo(Status.DOWN);

            a.mode(Mode.UP);
            b.revive();
            await().atMost(PATIENCE).until(() -> harness.events("orders").contains("health.service.recovered"));
            assertThat(harness.events(a.target().id())).containsExactly(
                    "health.instance.appeared", "health.instance.down", "health.instance.up");
            assertThat(harness.events(b.target().id())).containsExactly(
                    "health.instance.appeared", "health.instance.down", "health.instance.up");
            // Each instance recovering moves the service once: DOWN -> DEGRADED -> UP, or straight DOWN -> UP.
            assertThat(harness.events("orders")).isIn(
                    List.of("health.service.degraded", "health.service.down", "health.service.degraded", "health.service.recovered"),
                    List.of("health.service.degraded", "health.service.down", "health.service.recovered"));
        }
    }

    @Test
    void aChangeCountsOnlyWhenTheReprobesConfirmIt() {
        // Flapping is out of reach here: on a loaded machine a round can land between the re-probes and
        // add flips, and this test is about confirmation (flapping has its own test).
        try (FleetHarness harness = new FleetHarness(Map.of("flap-threshold", "100"))) {
            FakeInstance blip = harness.fake("blip");
            Target target = blip.target();
            harness.start(List.of(target));
            await().atMost(PATIENCE).until(() -> harness.status(target.id()) == Status.UP);

            // The first failure and then two of the three re-probes fail: one short of hold-for-3.
            blip.failNext(3);
            long calls = blip.healthCalls();
            await().atMost(PATIENCE).until(() -> blip.healthCalls() >= calls + 6);
            assertThat(harness.events(target.id())).containsExactly("health.instance.appeared");
            assertThat(harness.status(target.id())).isEqualTo(Status.UP);

            // One more and it holds: DOWN, once, then UP again once the re-probes agree.
            blip.failNext(4);
            await().atMost(PATIENCE).until(() -> harness.events(target.id()).contains("health.instance.up"));
            assertThat(harness.events(target.id())).containsExactly(
                    "health.instance.appeared", "health.instance.down", "health.instance.up");
            Transition down = harness.transitions.stream()
                    .filter(t -> t.kind() == Transition.Kind.INSTANCE_DOWN).findFirst().orElseThrow();
            assertThat(down.reason()).contains("redis DOWN");
            Transition up = harness.transitions.stream()
                    .filter(t -> t.kind() == Transition.Kind.INSTANCE_UP).findFirst().orElseThrow();
            assertThat(up.downMillis()).isPositive();
        }
    }

    @Test
    void aFlappingInstanceIsReportedOnceAndOnceMoreWhenItSettles() {
        try (FleetHarness harness = new FleetHarness(Map.of())) {
            FakeInstance flappy = harness.fake("flappy");
            Target target = flappy.target();
            harness.start(List.of(target));
            await().atMost(PATIENCE).until(() -> harness.status(target.id()) == Status.UP);

            flappy.mode(Mode.FLAP);
            await().atMost(PATIENCE).until(() -> harness.status(target.id()) == Status.FLAPPING);
            long calls = flappy.healthCalls();
            await().atMost(PATIENCE).until(() -> flappy.healthCalls() >= calls + 6); // it keeps flipping meanwhile
            assertThat(harness.events(target.id())).containsExactly("health.instance.appeared", "health.instance.flapping");
            Transition flapping = harness.transitions.get(harness.transitions.size() - 1).kind() == Transition.Kind.INSTANCE_FLAPPING
                    ? harness.transitions.get(harness.transitions.size() - 1)
                    : harness.transitions.stream().filter(t -> t.kind() == Transition.Kind.INSTANCE_FLAPPING).findFirst().orElseThrow();
            assertThat(flapping.flips()).isGreaterThanOrEqualTo(harness.properties.flapThreshold());

            flappy.mode(Mode.UP);
            await().atMost(PATIENCE).until(() -> harness.status(target.id()) == Status.UP);
            assertThat(harness.events(target.id())).containsExactly(
                    "health.instance.appeared", "health.instance.flapping", "health.instance.up");
            Transition settled = harness.transitions.stream()
                    .filter(t -> t.kind() == Transition.Kind.INSTANCE_UP).findFirst().orElseThrow();
            assertThat(settled.from()).isEqualTo(Status.FLAPPING);
            assertThat(settled.flips()).isGreaterThan(flapping.flips());
        }
    }

    @Test
    void aHangingInstanceDelaysNoOther() {
        try (FleetHarness harness = new FleetHarness(Map.of("interval", "30s", "timeout", "4s", "max-concurrency", "8"))) {
            FakeInstance hanging = harness.fake("stuck");
            hanging.mode(Mode.HANG);
            List<FakeInstance> healthy = IntStream.range(0, 24).mapToObj(i -> harness.fake("busy")).toList();
            List<Target> targets = new java.util.ArrayList<>();
            targets.add(hanging.target());
            healthy.forEach(f -> targets.add(f.target()));
            harness.start(targets);

            // Every healthy instance is UP while the hanging one's first probe is still waiting out its 4 s
            // timeout, though they queue behind it for 8 probe slots.
            await().atMost(Duration.ofSeconds(4)).until(() -> harness.fleet.view().service("busy") != null
                    && harness.fleet.view().service("busy").up() == healthy.size());
            assertThat(harness.status(hanging.target().id())).isEqualTo(Status.UNKNOWN);

            // First timeout, then three re-probes that each wait out the timeout too.
            await().atMost(Duration.ofSeconds(25)).until(() -> harness.status(hanging.target().id()) == Status.DOWN);
            InstanceView stuck = harness.fleet.view().service("stuck").instances().get(0);
            assertThat(stuck.reason()).isEqualTo("timed out");
        }
    }

    @Test
    void aKilledInstanceIsDownLongBeforeTheNextPoll() {
        try (FleetHarness harness = new FleetHarness(Map.of("interval", "5m"))) {
            FakeInstance doomed = harness.fake("doomed");
            Target target = doomed.target();
            harness.start(List.of(target));
            await().atMost(PATIENCE).until(() -> harness.status(target.id()) == Status.UP);
            await().pollDelay(Duration.ofMillis(200)).atMost(PATIENCE).until(() -> harness.fleet.view().at() != null);

            doomed.kill();
            await().atMost(PATIENCE).until(() -> harness.status(target.id()) == Status.DOWN);
            // the picture changes first, the listener hears of it next, on the output thread
            await().atMost(PATIENCE).until(() -> harness.transitions.stream().anyMatch(t -> t.kind() == Transition.Kind.INSTANCE_DOWN));
            Transition down = harness.transitions.stream()
                    .filter(t -> t.kind() == Transition.Kind.INSTANCE_DOWN).findFirst().orElseThrow();
            assertThat(down.via()).isEqualTo("watch");
            assertThat(down.reason()).isEqualTo("connection refused");
        }
    }

    @Test
    void aHintProbesAtOnceAndTheRegistryIsWatched() {
        try (FleetHarness harness = probedOnlyOnDemand()) {
            List<FakeInstance> pair = twoInstancesUp(harness, "hinted");
            FakeInstance hinted = pair.get(0);
            FakeInstance leaving = pair.get(1);

            hinted.mode(Mode.DOWN);
            assertThat(harness.fleet.hint("127.0.0.1:" + hinted.port(), "relay could not connect").join()).isTrue();
            assertThat(harness.fleet.hint("nowhere:1", "unknown").join()).isFalse();
            await().atMost(PATIENCE).until(() -> harness.status(hinted.target().id()) == Status.DOWN);
            // the picture shows DOWN first; the transition reaches the listener on the output thread just after
            await().atMost(PATIENCE).until(() -> harness.transitions.stream().anyMatch(t -> t.kind() == Transition.Kind.INSTANCE_DOWN));
            assertThat(harness.transitions.stream().filter(t -> t.kind() == Transition.Kind.INSTANCE_DOWN)
                    .findFirst().orElseThrow().via()).isEqualTo("hint");

            leaving.kill();
            harness.fleet.reconcile(List.of(hinted.target()));
            harness.fleet.reconcile(List.of(hinted.target())); // gone once a second registry refresh agrees
            await().atMost(PATIENCE).until(() -> harness.events(leaving.target().id()).contains("health.instance.down"));
            assertThat(harness.events(leaving.target().id())).containsExactly(
                    "health.instance.appeared", "health.instance.disappeared", "health.instance.down");
            InstanceView gone = harness.fleet.view().service("hinted").instances().stream()
                    .filter(i -> i.id().equals(leaving.target().id())).findFirst().orElseThrow();
            assertThat(gone.registered()).isFalse();
            // Only the instances still registered count: the one left is DOWN, so the service is DOWN.
            assertThat(harness.fleet.view().service("hinted").status()).isEqualTo(Status.DOWN);
        }
    }

    @Test
    void anInstanceBackInTheRegistryDoesNotDegradeItsServiceAgainBeforeItIsProbed() {
        // rounds keep going (every 400 ms): one lands while its return is being confirmed and publishes the picture
        try (FleetHarness harness = new FleetHarness(Map.of("watch-connections", "false"))) {
            List<FakeInstance> pair = twoInstancesUp(harness, "restarting");
            FakeInstance steady = pair.get(0);
            FakeInstance restarted = pair.get(1);

            restarted.mode(Mode.DOWN);
            harness.fleet.hint("127.0.0.1:" + restarted.port(), "stopping").join();
            await().atMost(PATIENCE).until(() -> harness.status(restarted.target().id()) == Status.DOWN);
            harness.fleet.reconcile(List.of(steady.target()));
            harness.fleet.reconcile(List.of(steady.target()));
            await().atMost(PATIENCE).until(() -> harness.events(restarted.target().id()).contains("health.instance.disappeared"));

            restarted.mode(Mode.UP);
            harness.fleet.reconcile(List.of(steady.target(), restarted.target()));
            // the picture the API, the dashboard and the told-once catch-up read while its return is being confirmed
            Set<Status> meanwhile = EnumSet.noneOf(Status.class);
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).until(() -> {
                meanwhile.add(harness.fleet.view().service("restarting").status());
                return harness.status(restarted.target().id()) == Status.UP;
            });
            assertThat(meanwhile).as("its stale DOWN counted before its return was confirmed").containsOnly(Status.UP);

            assertThat(harness.events(restarted.target().id())).containsExactly("health.instance.appeared",
                    "health.instance.down", "health.instance.disappeared", "health.instance.appeared", "health.instance.up");
            // degraded when it went down, recovered when it left; not degraded again by its stale status on its way back
            assertThat(harness.events("restarting")).containsExactly("health.service.degraded", "health.service.recovered");
        }
    }

    /** Rounds five minutes apart and no connection watch: only hints and registry changes move anything. */
    private static FleetHarness probedOnlyOnDemand() {
        return new FleetHarness(Map.of("interval", "5m", "watch-connections", "false"));
    }

    private static List<FakeInstance> twoInstancesUp(FleetHarness harness, String service) {
        List<FakeInstance> pair = List.of(harness.fake(service), harness.fake(service));
        harness.start(pair.stream().map(FakeInstance::target).toList());
        await().atMost(PATIENCE).until(() -> harness.fleet.view().service(service) != null
                && harness.fleet.view().service(service).up() == 2);
        return pair;
    }
}
