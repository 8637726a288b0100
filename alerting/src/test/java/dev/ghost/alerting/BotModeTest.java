package dev.ghost.alerting;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.alerting.test.AlertingStack;
import dev.ghost.alerting.test.SlackStandIn;

import static dev.ghost.alerting.test.AlertingStack.down;
import static dev.ghost.alerting.test.AlertingStack.event;
import static dev.ghost.alerting.test.AlertingStack.unique;
import static dev.ghost.alerting.test.AlertingStack.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A bot token for on-call (chat.postMessage, then chat.update in place) and a webhook for the
 * team; debug logging everywhere; a restart in the middle of retries. The webhook URL and the
 * token must never show in the captured output or any response.
 */
@ExtendWith({RealRedisExtension.class, OutputCaptureExtension.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BotModeTest {

    static AlertingStack stack;

    @BeforeAll
    static void start() {
        stack = new AlertingStack(new SlackStandIn(), Map.of(
                "ghost.alerting.slack.bot-token", SlackStandIn.BOT_TOKEN,
                "ghost.alerting.receivers.oncall.slack.channel", "#oncall",
                "logging.level.dev.ghost", "DEBUG",
                "logging.level.com.slack.api", "DEBUG",
                "logging.level.okhttp3", "DEBUG",
                "logging.level.okhttp3.mockwebserver", "OFF", // that is Slack's side talking
                "logging.level.org.springframework.boot.context.properties", "DEBUG"));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    @Order(1)
    void aGroupsMessageIsPostedOnceThenUpdatedInPlace() {
        String service = unique("bot");
        stack.events(down(service, service + ":1"));
        await().atMost(Duration.ofSeconds(15)).until(() -> stack.slack.delivered(service).size() == 1);
        SlackStandIn.Received posted = stack.slack.delivered(service).get(0);
        assertThat(posted.path()).isEqualTo("/api/chat.postMessage");
        assertThat(posted.authorization()).isEqualTo("Bearer " + SlackStandIn.BOT_TOKEN);
        assertThat(posted.form()).containsEntry("channel", "#oncall");
        String ts = TestHttp.json(posted.reply()).get("ts").stringValue();

        stack.events(down(service, service + ":2"));
        await().atMost(Duration.ofSeconds(15)).until(() -> stack.slack.delivered(service).size() == 2);
        stack.events(up(service, service + ":1"), up(service, service + ":2"));
        await().atMost(Duration.ofSeconds(15)).until(() -> stack.slack.delivered(service).stream()
                .anyMatch(m -> m.text().contains("[RESOLVED]")));
        List<SlackStandIn.Received> later = stack.slack.delivered(service).subList(1, stack.slack.delivered(service).size());
        assertThat(later).allSatisfy(update -> {
            assertThat(update.path()).isEqualTo("/api/chat.update");
            assertThat(update.form()).containsEntry("channel", "C0ALERTS").containsEntry("ts", ts);
        });
        assertThat(later.get(0).text()).contains("[FIRING:2]");
    }

    @Test
    @Order(2)
    void aRestartInTheMiddleOfRetriesDeliversOnceAfterwards() {
        String target = unique("restart");
        stack.slack.thenAnswer(target, 500, null, 1000);
        stack.events(event("patch.failed", "patchId", target + "-1", "target", target, "status", "FAILED",
                "outputTail", "npm ERR! code ETIMEDOUT\nnpm ERR! network request to https://registry.npmjs.org failed"));
        await().atMost(Duration.ofSeconds(15)).until(() -> stack.slack.attempts(target).size() >= 2);
        stack.stop();
        int attemptsWhileUp = stack.slack.attempts(target).size();
        stack.slack.forget(target); // Slack is back
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> stack.slack.attempts(target).size() == attemptsWhileUp);
        assertThat(stack.slack.delivered(target)).isEmpty();

        stack.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.slack.delivered(target).size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> stack.slack.delivered(target).size() == 1);
        assertThat(stack.slack.delivered(target).get(0).text()).contains("Patches fail on target " + target);
    }

    @Test
    @Order(3)
    void theWebhookUrlAndTheTokenNeverShowInLogsOrResponses(CapturedOutput output) {
        String service = unique("secret");
        stack.slack.thenAnswer(service, 500, null, 1).thenHang(service, 1);
        stack.events(down(service, service + ":1"));
        String target = unique("secret");
        stack.slack.thenAnswer(target, 503, null, 1);
        stack.events(event("patch.timed_out", "patchId", target + "-1", "target", target, "status", "TIMED_OUT"));
        await().atMost(Duration.ofSeconds(20)).until(() -> stack.slack.delivered(service).size() == 1
                && stack.slack.delivered(target).size() == 1);

        List<HttpResponse<String>> responses = List.of(
                TestHttp.post(stack.url("/alerts/test"), TestTokens.ADMIN, "{\"receiver\":\"oncall\"}"),
                TestHttp.post(stack.url("/alerts/test"), TestTokens.ADMIN, "{\"receiver\":\"team\"}"),
                TestHttp.get(stack.url("/alerts"), TestTokens.ADMIN),
                TestHttp.get(stack.url("/alerts/history"), TestTokens.ADMIN),
                TestHttp.get(stack.url("/actuator/info"), null),
                TestHttp.get(stack.url("/actuator/health"), TestTokens.ADMIN),
                TestHttp.get(stack.url("/actuator/prometheus"), TestTokens.ADMIN));
        assertThat(responses.get(0).body()).contains("\"mode\":\"bot\"");
        assertThat(responses.get(1).body()).contains("\"mode\":\"webhook\"");
        for (HttpResponse<String> response : responses) {
            assertThat(response.body()).doesNotContain(SlackStandIn.BOT_TOKEN).doesNotContain(SlackStandIn.WEBHOOK_SECRET)
                    .doesNotContain(SlackStandIn.ONCALL_SECRET).doesNotContain("sEcReT");
        }
        String logged = output.getAll();
        assertThat(logged).as("the capture saw the failures").contains("retrying in").contains("Alerting receivers");
        assertThat(logged).doesNotContain(SlackStandIn.BOT_TOKEN).doesNotContain(SlackStandIn.WEBHOOK_SECRET)
                .doesNotContain(SlackStandIn.ONCALL_SECRET).doesNotContain("sEcReT");
    }
}
