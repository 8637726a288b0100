package dev.ghost.ops;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.ghost.alerting.test.SlackStandIn;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis that three services share goes away and comes back: on-call hears of it once, by name —
 * one FIRING naming Redis and one RESOLVED — not a DOWN and a resolve for every service it took
 * down (those alerts exist, and are inhibited by it).
 */
@ExtendWith(RealRedisExtension.class)
class DependencyOutageTest {

    static final Duration PATIENCE = Duration.ofSeconds(60);
    static OpsStack stack;

    @BeforeAll
    static void start() {
        stack = OpsStack.get();
    }

    /** The dependency alert's summary, which heads its messages. */
    static final String REDIS_DOWN = "redis is DOWN for";

    static List<SlackStandIn.Received> aboutRedis(String status) {
        return stack.slack.delivered(m -> m.content().contains(status) && m.content().contains(REDIS_DOWN));
    }

    /** Messages about one of the shops other than the dependency's own. */
    static List<SlackStandIn.Received> aboutAShop() {
        return stack.slack.delivered(m -> !m.content().contains(REDIS_DOWN)
                && OpsStack.SHOPS.stream().anyMatch(shop -> m.content().contains(shop)));
    }

    static String everything() {
        return String.join("\n---\n", stack.slack.received().stream().map(SlackStandIn.Received::content).toList());
    }

    @Test
    void aRedisOutageIsOnePageNamingRedisThenOneResolve() {
        Awaitility.await().atMost(PATIENCE).until(() -> OpsStack.SHOPS.stream().allMatch(s -> stack.serviceStatus(s).equals("UP")));

        stack.shopRedis.stop();
        Awaitility.await().atMost(PATIENCE).until(() -> !aboutRedis("FIRING").isEmpty());
        String firing = aboutRedis("FIRING").get(0).content();
        assertThat(OpsStack.SHOPS.stream().filter(firing::contains)).as("the services it took down, named").hasSizeGreaterThanOrEqualTo(2);
        // the services' own alerts exist, muted by it: inhibited, not lost
        Awaitility.await().atMost(PATIENCE).until(() -> OpsStack.SHOPS.stream().allMatch(s -> stack.serviceStatus(s).equals("DOWN")));
        Awaitility.await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode muted = TestHttp.json(TestHttp.get(stack.ml.url("/alerts?state=firing&muted=true&filter=alertname=ServiceDown"
                    + "&filter=service=~%22.*-" + OpsStack.RUN + "%22"), TestTokens.READ)).get("alerts");
            assertThat(muted.findValuesAsString("service")).containsExactlyInAnyOrderElementsOf(OpsStack.SHOPS);
            assertThat(muted.get(0).get("status").get("inhibitedBy")).hasSize(1);
        });

        stack.shopRedis.restart();
        Awaitility.await().atMost(PATIENCE).until(() -> !aboutRedis("RESOLVED").isEmpty());
        Awaitility.await().atMost(PATIENCE).until(() -> OpsStack.SHOPS.stream().allMatch(s -> stack.serviceStatus(s).equals("UP")));
        // nothing more comes: no late page for a service once the dependency is back
        Awaitility.await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() -> aboutAShop().isEmpty());
        assertThat(aboutRedis("FIRING")).as(everything()).hasSize(1);
        assertThat(aboutRedis("RESOLVED")).as(everything()).hasSize(1);
    }
}
