package dev.ghost.alerting;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.alerting.test.AlertingStack;
import dev.ghost.alerting.test.SlackStandIn;

import static dev.ghost.alerting.test.AlertingStack.down;
import static dev.ghost.alerting.test.AlertingStack.unique;
import static dev.ghost.alerting.test.AlertingStack.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** GET /alerts, /alerts/history, POST /alerts/test and /silences through real HTTP: roles, bad input, behaviour. */
@ExtendWith(RealRedisExtension.class)
class AlertsApiTest {

    static AlertingStack stack;

    @BeforeAll
    static void start() {
        stack = AlertingStack.shared();
    }

    static JsonNode json(HttpResponse<String> response) {
        return TestHttp.json(response);
    }

    HttpResponse<String> silence(String token, String body) {
        return TestHttp.post(stack.url("/silences"), token, body);
    }

    @Test
    void alertsAndTheirHistoryAreListedForReaders() {
        String service = unique("api");
        stack.events(down(service, service + ":1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !stack.slack.delivered(service).isEmpty());
        stack.events(up(service, service + ":1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stack.slack.delivered(service).size() == 2);

        assertThat(TestHttp.get(stack.url("/alerts"), null).statusCode()).isEqualTo(401);
        JsonNode resolved = json(TestHttp.get(stack.url("/alerts?state=resolved&filter=service=" + service), TestTokens.READ));
        JsonNode alert = resolved.get("alerts").get(0);
        assertThat(alert.get("alertname").stringValue()).isEqualTo("InstanceDown");
        assertThat(alert.get("labels").get("instance").stringValue()).isEqualTo(service + ":1");
        assertThat(alert.get("severity").stringValue()).isEqualTo("critical");
        assertThat(alert.get("endsAt").stringValue()).isNotBlank();
        assertThat(alert.get("fingerprint").stringValue()).hasSize(16);

        JsonNode history = json(TestHttp.get(stack.url("/alerts/history?filter=service=" + service), TestTokens.READ));
        assertThat(history.get("history").findValuesAsString("transition")).containsExactly("resolved", "firing", "pending");

        HttpResponse<String> bad = TestHttp.get(stack.url("/alerts?state=burning&filter=service=~%22(%22"), TestTokens.READ);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(json(bad).get("violations")).hasSize(2);
        assertThat(TestHttp.get(stack.url("/alerts/history?limit=0&since=yesterday"), TestTokens.READ).statusCode()).isEqualTo(400);
    }

    @Test
    void aTestMessageChecksTheWiring() {
        assertThat(TestHttp.post(stack.url("/alerts/test"), TestTokens.READ, "{}").statusCode()).isEqualTo(403);
        HttpResponse<String> sent = TestHttp.post(stack.url("/alerts/test"), TestTokens.ADMIN, "{\"receiver\":\"oncall\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        JsonNode answer = json(sent);
        assertThat(answer.get("status").stringValue()).isEqualTo("delivered");
        assertThat(answer.get("mode").stringValue()).isEqualTo("webhook");
        String id = answer.get("id").stringValue();
        assertThat(stack.slack.delivered(m -> m.text().contains("GHOST test message") && m.toOncall())).isNotEmpty();
        assertThat(sent.body()).doesNotContain(SlackStandIn.ONCALL_SECRET).doesNotContain(SlackStandIn.WEBHOOK_SECRET);
        assertThat(id).startsWith("test-");

        HttpResponse<String> unknown = TestHttp.post(stack.url("/alerts/test"), TestTokens.ADMIN, "{\"receiver\":\"nobody\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("violations").get(0).get("pointer").stringValue()).isEqualTo("/receiver");
        assertThat(TestHttp.post(stack.url("/alerts/test"), TestTokens.ADMIN, "[\"oncall\"]").statusCode()).isEqualTo(400);
        assertThat(TestHttp.post(stack.url("/alerts/test"), TestTokens.ADMIN, "{\"waitSeconds\":99}").statusCode()).isEqualTo(400);
    }

    @Test
    void aSilenceMutesWhatItMatchesUntilItEnds() {
        String service = unique("quiet");
        String other = unique("loud");
        HttpResponse<String> created = silence(TestTokens.ADMIN, "{\"matchers\":[{\"name\":\"service\",\"op\":\"=\",\"value\":\"" + service
                + "\"},{\"name\":\"instance\",\"op\":\"=~\",\"value\":\".*:1\"},{\"name\":\"alertname\",\"op\":\"!=\",\"value\":\"ServiceDown\"}],"
                + "\"duration\":\"4s\",\"comment\":\"deploying\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode silence = json(created);
        String id = silence.get("id").stringValue();
        assertThat(created.headers().firstValue("Location")).contains("/silences/" + id);
        assertThat(silence.get("state").stringValue()).isEqualTo("active");
        assertThat(silence.get("createdBy").stringValue()).isEqualTo("admin");

        stack.events(down(service, service + ":1"), down(other, other + ":1"), down(service, service + ":2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !stack.slack.delivered(other).isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> !stack.slack.delivered(service).isEmpty());
        SlackStandIn.Received first = stack.slack.delivered(service).get(0);
        assertThat(first.attachments()).contains(service + ":2").doesNotContain(service + ":1`")
                .contains("1 alert of this group silenced or inhibited");
        JsonNode muted = json(TestHttp.get(stack.url("/alerts?muted=true&filter=service=" + service), TestTokens.READ)).get("alerts");
        assertThat(muted).hasSize(1);
        assertThat(muted.get(0).get("status").get("silencedBy").get(0).stringValue()).isEqualTo(id);

        await().atMost(Duration.ofSeconds(15)).until(() -> stack.slack.delivered(service).size() == 2);
        assertThat(stack.slack.delivered(service).get(1).attachments()).as("after the silence ends").contains(service + ":1");
        assertThat(json(TestHttp.get(stack.url("/silences/" + id), TestTokens.ADMIN)).get("state").stringValue()).isEqualTo("expired");
    }

    @Test
    void silencesAreSetByAdminsReadByReadersAndBadOnesAreRefusedWithEveryReason() {
        String ok = "{\"matchers\":[{\"name\":\"service\",\"value\":\"x\"}],\"duration\":\"1h\",\"comment\":\"c\"}";
        assertThat(silence(null, ok).statusCode()).isEqualTo(401);
        assertThat(silence(TestTokens.READ, ok).statusCode()).isEqualTo(403);
        assertThat(TestHttp.get(stack.url("/silences"), null).statusCode()).isEqualTo(401);
        assertThat(TestHttp.get(stack.url("/silences"), TestTokens.READ).statusCode()).isEqualTo(200);

        HttpResponse<String> bad = silence(TestTokens.ADMIN, "{\"matchers\":[{\"name\":\"1x\",\"op\":\"==\",\"value\":\"a\"},"
                + "{\"name\":\"service\",\"op\":\"=~\",\"value\":\"(\"}],\"endsAt\":\"" + Instant.now().minusSeconds(60)
                + "\",\"duration\":\"1h\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        JsonNode violations = json(bad).get("violations");
        assertThat(violations.findValuesAsString("pointer"))
                .contains("/matchers/0/name", "/matchers/0/op", "/matchers/1/value", "/endsAt", "/comment");
        HttpResponse<String> everything = silence(TestTokens.ADMIN,
                "{\"matchers\":[{\"name\":\"service\",\"op\":\"=~\",\"value\":\".*\"}],\"duration\":\"1h\",\"comment\":\"all\"}");
        assertThat(everything.statusCode()).isEqualTo(400);
        assertThat(everything.body()).contains("would silence every alert");
        assertThat(silence(TestTokens.ADMIN, "[1]").statusCode()).isEqualTo(400);
        assertThat(silence(TestTokens.ADMIN, "not json").statusCode()).isEqualTo(400);

        String id = json(silence(TestTokens.ADMIN, ok)).get("id").stringValue();
        assertThat(json(TestHttp.get(stack.url("/silences?state=active"), TestTokens.ADMIN)).get("silences").findValuesAsString("id"))
                .contains(id);
        assertThat(TestHttp.delete(stack.url("/silences/" + id), TestTokens.READ).statusCode()).isEqualTo(403);
        assertThat(TestHttp.delete(stack.url("/silences/" + id), TestTokens.ADMIN).statusCode()).isEqualTo(204);
        assertThat(json(TestHttp.get(stack.url("/silences/" + id), TestTokens.ADMIN)).get("state").stringValue()).isEqualTo("expired");
        HttpResponse<String> missing = TestHttp.delete(stack.url("/silences/no-such-silence"), TestTokens.ADMIN);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }
}
