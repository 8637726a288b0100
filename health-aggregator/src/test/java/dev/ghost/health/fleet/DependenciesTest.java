package dev.ghost.health.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ghost.health.fake.FakeInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A dependency several services share is one event, and comes back only after what it took down:
 * real HTTP fakes (a DOWN fake answers 503 with its {@code redis} component DOWN) and real registry
 * refreshes.
 */
class DependenciesTest {

    static int index(List<Transition> transitions, Transition.Kind kind, String subject) {
        for (int i = 0; i < transitions.size(); i++) {
            if (transitions.get(i).kind() == kind && subject.equals(transitions.get(i).subject())) {
                return i;
            }
        }
        return -1;
    }

    static long count(List<Transition> transitions, Transition.Kind kind) {
        return transitions.stream().filter(t -> t.kind() == kind).count();
    }

    @Test
    void servicesDownWithRedisFailingAreOneRedisOutageThatEndsAfterThem() {
        try (FleetHarness harness = new FleetHarness(Map.of())) {
            FakeInstance cart = harness.fake("cart");
            FakeInstance stock = harness.fake("stock");
            FakeInstance search = harness.fake("search");
            harness.start(List.of(cart.target(), stock.target(), search.target()));
            await().atMost(Duration.ofSeconds(10)).until(() -> count(harness.transitions, Transition.Kind.INSTANCE_APPEARED) == 3);

            cart.mode(FakeInstance.Mode.DOWN);
            await().atMost(Duration.ofSeconds(10)).until(() -> index(harness.transitions, Transition.Kind.SERVICE_DOWN, "cart") >= 0);
            assertThat(count(harness.transitions, Transition.Kind.DEPENDENCY_DOWN)).as("one service alone is its own outage").isZero();

            stock.mode(FakeInstance.Mode.DOWN);
            search.mode(FakeInstance.Mode.DOWN);
            await().atMost(Duration.ofSeconds(10)).until(() -> index(harness.transitions, Transition.Kind.SERVICE_DOWN, "search") >= 0
                    && index(harness.transitions, Transition.Kind.SERVICE_DOWN, "stock") >= 0);
            Transition down = harness.transitions.get(index(harness.transitions, Transition.Kind.DEPENDENCY_DOWN, "redis"));
            assertThat(down.services()).contains("cart").hasSizeGreaterThanOrEqualTo(2);
            assertThat(down.data()).containsEntry("dependency", "redis").doesNotContainKey("service");

            cart.mode(FakeInstance.Mode.UP);
            stock.mode(FakeInstance.Mode.UP);
            await().atMost(Duration.ofSeconds(10)).until(() -> index(harness.transitions, Transition.Kind.SERVICE_RECOVERED, "stock") >= 0
                    && index(harness.transitions, Transition.Kind.SERVICE_RECOVERED, "cart") >= 0);
            assertThat(index(harness.transitions, Transition.Kind.DEPENDENCY_UP, "redis")).as("search is still down because of it").isNegative();
            search.mode(FakeInstance.Mode.UP);
            await().atMost(Duration.ofSeconds(10)).until(() -> index(harness.transitions, Transition.Kind.DEPENDENCY_UP, "redis") >= 0);
            assertThat(index(harness.transitions, Transition.Kind.DEPENDENCY_UP, "redis"))
                    .isGreaterThan(index(harness.transitions, Transition.Kind.SERVICE_RECOVERED, "search"));
            assertThat(count(harness.transitions, Transition.Kind.DEPENDENCY_DOWN)).isEqualTo(1);
        }
    }

    @Test
    void servicesLeavingTheRegistryWhileTheyAnswerAreTheRegistrysOutage() {
        try (FleetHarness harness = new FleetHarness(Map.of())) {
            FakeInstance cart = harness.fake("cart");
            FakeInstance stock = harness.fake("stock");
            FakeInstance steady = harness.fake("steady");
            harness.start(List.of(cart.target(), stock.target(), steady.target()));
            await().atMost(Duration.ofSeconds(10)).until(() -> count(harness.transitions, Transition.Kind.INSTANCE_APPEARED) == 3);

            harness.fleet.reconcile(List.of(steady.target()));
            harness.fleet.reconcile(List.of(steady.target())); // gone once a second registry refresh agrees
            await().atMost(Duration.ofSeconds(10)).until(() -> index(harness.transitions, Transition.Kind.DEPENDENCY_DOWN, "eureka") >= 0);
            assertThat(harness.transitions.get(index(harness.transitions, Transition.Kind.DEPENDENCY_DOWN, "eureka")).services())
                    .containsExactly("cart", "stock");

            harness.fleet.reconcile(List.of(steady.target(), cart.target(), stock.target()));
            await().atMost(Duration.ofSeconds(10)).until(() -> index(harness.transitions, Transition.Kind.DEPENDENCY_UP, "eureka") >= 0);
            assertThat(count(harness.transitions, Transition.Kind.DEPENDENCY_DOWN)).isEqualTo(1);
        }
    }
}
