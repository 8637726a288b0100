package dev.ghost.alerting;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ghost.common.event.GhostEvent;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.alerting.test.AlertingStack;
import dev.ghost.alerting.test.SlackStandIn;

import static dev.ghost.alerting.test.AlertingStack.event;
import static dev.ghost.alerting.test.AlertingStack.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The outbox against a Slack that answers 429, 5xx, nothing, or refuses: each notification delivered once. */
@ExtendWith(RealRedisExtension.class)
class DeliveryTest {

    static AlertingStack stack;

    @BeforeAll
    static void start() {
        stack = AlertingStack.shared();
    }

    static GhostEvent failure(String target) {
        return event("patch.failed", "patchId", target + "-1", "target", target, "status", "FAILED",
                "outputTail", "FAILED tests: 3 of 120 (AppTest.rendersTopBar)");
    }

    static void deliveredOnce(String about) {
        await().atMost(Duration.ofSeconds(20)).until(() -> stack.slack.delivered(about).size() == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> stack.slack.delivered(about).size() == 1);
    }

    @Test
    void slackRateLimitingIsWaitedOutAsToldThenTheMessageGoesOnce() {
        String target = unique("rl");
        stack.slack.thenAnswer(target, 429, 1, 1);
        stack.events(failure(target));
        deliveredOnce(target);
        List<SlackStandIn.Received> attempts = stack.slack.attempts(target);
        assertThat(attempts).extracting(SlackStandIn.Received::answered).containsExactly(429, 200);
        assertThat(Duration.ofNanos(attempts.get(1).nanos() - attempts.get(0).nanos()))
                .as("Retry-After: 1 honoured").isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void slackDownForAWhileThenBackGetsEveryPendingNotificationOnce() throws Exception {
        String run = unique("down");
        stack.slack.down(503);
        try {
            stack.events(failure(run + "-a"));
            stack.events(failure(run + "-b"));
            stack.events(failure(run + "-c"));
            await().atMost(Duration.ofSeconds(15)).until(() -> stack.slack.attempts(run).size() >= 3);
        } finally {
            stack.slack.up();
        }
        for (String target : List.of(run + "-a", run + "-b", run + "-c")) {
            deliveredOnce(target);
        }
        List<String> order = stack.slack.delivered(run).stream()
                .map(m -> m.text().replaceAll(".*(" + run + "-[abc]).*", "$1")).toList();
        assertThat(order).as("in the order they were decided").containsExactly(run + "-a", run + "-b", run + "-c");
    }

    @Test
    void aHangingSlackIsTimedOutAndTriedAgain() {
        String target = unique("hang");
        stack.slack.thenHang(target, 1);
        stack.events(failure(target));
        deliveredOnce(target);
        assertThat(stack.slack.attempts(target)).hasSize(2);
    }

    @Test
    void aMessageSlackRefusesForGoodIsDeadLetteredAndDoesNotBlockTheNext() {
        String refused = unique("bad");
        String next = unique("next");
        stack.slack.thenAnswer(refused, 400, null, 1);
        stack.events(failure(refused));
        stack.events(failure(next));
        deliveredOnce(next);
        assertThat(stack.slack.attempts(refused)).hasSize(1);
        assertThat(stack.slack.delivered(refused)).isEmpty();
    }
}
