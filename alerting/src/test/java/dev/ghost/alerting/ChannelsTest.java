package dev.ghost.alerting;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.ghost.alerting.test.AlertingStack;
import dev.ghost.alerting.test.PagerDutyStandIn;
import dev.ghost.alerting.test.SlackStandIn;
import dev.ghost.alerting.test.WebhookStandIn;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;

import static dev.ghost.alerting.test.AlertingStack.down;
import static dev.ghost.alerting.test.AlertingStack.unique;
import static dev.ghost.alerting.test.AlertingStack.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The channels behind the notifier, each against a local server speaking its protocol: a signed
 * JSON webhook, PagerDuty's Events API v2, Slack with a bot token. And what a receiver that takes
 * every request but never answers (the client times out each time) ends up with: a webhook at
 * most twice; PagerDuty and Slack's bot exactly once, because their retries land on the same
 * alert (dedup key) or look before posting again (message metadata in the channel's history).
 */
@ExtendWith(RealRedisExtension.class)
class ChannelsTest {

    static final Duration PATIENCE = Duration.ofSeconds(15);
    static AlertingStack stack;
    static WebhookStandIn hook;
    static PagerDutyStandIn pagerDuty;

    @BeforeAll
    static void start() {
        hook = new WebhookStandIn();
        pagerDuty = new PagerDutyStandIn();
        Map<String, String> properties = new HashMap<>();
        properties.put("spring.config.additional-location", "classpath:alerting-test.yml,classpath:alerting-channels-test.yml");
        properties.put("ghost.alerting.receivers.hook.webhook.url", hook.url());
        properties.put("ghost.alerting.receivers.hook.webhook.secret", WebhookStandIn.SECRET);
        properties.put("ghost.alerting.receivers.pager.pagerduty.routing-key", PagerDutyStandIn.ROUTING_KEY);
        properties.put("ghost.alerting.receivers.pager.pagerduty.url", pagerDuty.url());
        properties.put("ghost.alerting.slack.bot-token", SlackStandIn.BOT_TOKEN);
        properties.put("ghost.alerting.receivers.oncall.slack.channel", "#oncall");
        stack = new AlertingStack(new SlackStandIn(), properties);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        hook.close();
        pagerDuty.close();
    }

    /** Nothing more arrives for a while (several client timeouts and retries). */
    static void staysAt(java.util.function.Supplier<Integer> count, int expected) {
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> count.get() == expected);
    }

    @Test
    void aWebhookGetsAlertmanagersPayloadSignedAndItsResolve() {
        String service = unique("hook");
        stack.events(down(service, service + ":1"));
        await().atMost(PATIENCE).until(() -> hook.received(service).size() == 1);
        WebhookStandIn.Received fired = hook.received(service).get(0);
        assertThat(fired.signatureValid()).as("signed over timestamp and body with the shared secret").isTrue();
        JsonNode payload = fired.payload();
        assertThat(payload.get("version").stringValue()).isEqualTo("4");
        assertThat(payload.get("status").stringValue()).isEqualTo("firing");
        assertThat(payload.get("receiver").stringValue()).isEqualTo("hook");
        assertThat(payload.get("groupLabels").get("service").stringValue()).isEqualTo(service);
        assertThat(payload.get("alerts").get(0).get("labels").get("instance").stringValue()).isEqualTo(service + ":1");
        assertThat(payload.get("alerts").get(0).get("labels").get("alertname").stringValue()).isEqualTo("InstanceDown");
        assertThat(payload.get("ghost").get("notificationId").stringValue()).isEqualTo(fired.notificationId());

        stack.events(up(service, service + ":1"));
        await().atMost(PATIENCE).until(() -> hook.received(service).size() == 2);
        WebhookStandIn.Received resolved = hook.received(service).get(1);
        assertThat(resolved.signatureValid()).isTrue();
        assertThat(resolved.payload().get("status").stringValue()).isEqualTo("resolved");
        assertThat(resolved.payload().get("alerts").get(0).get("endsAt").isNull()).isFalse();
    }

    @Test
    void pagerDutyGetsATriggerAndAResolveOnOneDedupKey() {
        String service = unique("pd");
        stack.events(down(service, service + ":1"), down(service, service + ":2"));
        await().atMost(PATIENCE).until(() -> pagerDuty.incidents(service).size() == 1);
        PagerDutyStandIn.Incident incident = pagerDuty.incidents(service).get(0);
        assertThat(incident.summary).contains("2 alerts firing");
        stack.events(up(service, service + ":1"), up(service, service + ":2"));
        await().atMost(PATIENCE).until(() -> incident.resolved);
        assertThat(pagerDuty.actions(incident.dedupKey)).containsExactly("trigger", "resolve");
    }

    @Test
    void aTestMessageReachesPagerDutyAsAChangeEventWithoutPagingAnyone() {
        HttpResponse<String> sent = TestHttp.post(stack.url("/alerts/test"), TestTokens.ADMIN, "{\"receiver\":\"pager\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(TestHttp.json(sent).get("channel").stringValue()).isEqualTo("pagerduty");
        assertThat(pagerDuty.changes()).anySatisfy(change -> assertThat(change.get("payload").get("summary").stringValue())
                .contains("GHOST test message for receiver pager"));
        assertThat(sent.body()).doesNotContain(PagerDutyStandIn.ROUTING_KEY);
    }

    @Test
    void aWebhookThatNeverAnswersGetsTheNotificationAtMostTwice() {
        String service = unique("hook");
        hook.hangAfterTaking(service);
        stack.events(down(service, service + ":1"));
        await().atMost(PATIENCE).until(() -> hook.received(service).size() >= 1);
        staysAt(() -> hook.received(service).size(), 2);
        assertThat(hook.received(service)).extracting(WebhookStandIn.Received::notificationId).containsOnly(
                hook.received(service).get(0).notificationId());
    }

    @Test
    void pagerDutyThatNeverAnswersStillHasOneAlert() {
        String service = unique("pd");
        pagerDuty.hangAfterTaking(service);
        try {
            stack.events(down(service, service + ":1"));
            await().atMost(PATIENCE).until(() -> !pagerDuty.incidents(service).isEmpty() && pagerDuty.incidents(service).get(0).triggers >= 3);
            assertThat(pagerDuty.incidents(service)).as("every retry deduplicated onto the one alert").hasSize(1);
        } finally {
            pagerDuty.answerAgain(service); // PagerDuty is back: the receiver's queue moves on for the other tests
        }
        await().atMost(PATIENCE).until(() -> pagerDuty.incidents(service).get(0).triggers >= 4);
        assertThat(pagerDuty.incidents(service)).hasSize(1);
    }

    @Test
    void slacksBotThatNeverAnswersAPostShowsTheMessageOnce() {
        String service = unique("bot");
        stack.slack.thenHangAfterTaking(service, 1000);
        // every post and update about it is taken and never answered; the channel's history answers
        stack.events(down(service, service + ":1"));
        await().atMost(PATIENCE).until(() -> stack.slack.newMessages(service).size() == 1);
        await().atMost(PATIENCE).until(() -> stack.slack.received().stream().anyMatch(r -> r.path().contains("conversations.history")));
        staysAt(() -> stack.slack.newMessages(service).size(), 1);
        List<SlackStandIn.Received> posts = stack.slack.attempts(service).stream()
                .filter(r -> r.path().contains("chat.postMessage")).toList();
        assertThat(posts).as("found in the channel's history after the timeout: never posted again").hasSize(1);
    }
}
