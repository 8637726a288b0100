package dev.ghost.alerting.api;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.ghost.alerting.model.Labels;
import dev.ghost.alerting.test.AlertingStack;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;

import static dev.ghost.alerting.test.AlertingStack.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alertmanager's API v2 on GHOST, through real HTTP: what Prometheus pushes fires, repeats, resolves
 * and ends through GHOST's engine to the Slack stand-in; alerts and silences read back in
 * Alertmanager's shapes; silences set here and through GHOST's own API are one store.
 */
@ExtendWith(RealRedisExtension.class)
class AlertmanagerApiTest {

    static AlertingStack stack;

    @BeforeAll
    static void start() {
        stack = AlertingStack.shared();
    }

    /**
     * The body Prometheus' notifier posts to {@code /api/v2/alerts}: its alerts as JSON, times in Go's
     * RFC 3339 with nanoseconds (here in the +01:00 zone a Prometheus server may run in), a firing
     * alert valid for four evaluation intervals, a resolved one with {@code endsAt} = when it resolved.
     */
    static String prometheusPush(String alertname, String instance, Instant startsAt, Instant endsAt) {
        return """
                [{"labels":{"alertname":"%s","instance":"%s","job":"node","severity":"warning"},
                  "annotations":{"summary":"Disk almost full on %s","description":"Less than 5%% of the disk is free."},
                  "startsAt":"%s","endsAt":"%s",
                  "generatorURL":"http://prometheus:9090/graph?g0.expr=node_filesystem_avail_bytes+%%3C+1e9&g0.tab=1"}]
                """.formatted(alertname, instance, instance, goTime(startsAt), goTime(endsAt));
    }

    static String goTime(Instant instant) {
        return instant.atOffset(ZoneOffset.ofHours(1)).toString();
    }

    static HttpResponse<String> push(String token, String body) {
        return TestHttp.post(stack.url("/api/v2/alerts"), token, body);
    }

    static JsonNode json(HttpResponse<String> response) {
        return TestHttp.json(response);
    }

    @Test
    void prometheusAlertsFireRepeatQuietlyResolveAndAreListedAsAlertmanagerListsThem() {
        String name = "DiskAlmostFull" + unique("").replace("-", "");
        String instance = "node-1:9100";
        Instant startsAt = Instant.now().minusSeconds(90).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusNanos(123_456_789);
        assertThat(push(TestTokens.SUBMIT, prometheusPush(name, instance, startsAt, Instant.now().plusSeconds(240))).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !stack.slack.delivered(name).isEmpty());
        assertThat(stack.slack.delivered(name).get(0).content()).contains("FIRING").contains("Disk almost full on " + instance);

        JsonNode listed = json(TestHttp.get(stack.url("/api/v2/alerts?filter=alertname%3D%22" + name + "%22"), TestTokens.READ));
        assertThat(listed).hasSize(1);
        JsonNode alert = listed.get(0);
        assertThat(alert.get("labels").get("instance").stringValue()).isEqualTo(instance);
        assertThat(alert.get("annotations").get("summary").stringValue()).isEqualTo("Disk almost full on " + instance);
        assertThat(Instant.parse(alert.get("startsAt").stringValue())).isEqualTo(startsAt);
        assertThat(alert.get("fingerprint").stringValue()).isEqualTo(Labels.of(Map.of("alertname", name, "instance", instance,
                "job", "node", "severity", "warning")).fingerprint());
        assertThat(alert.get("status").get("state").stringValue()).isEqualTo("active");
        assertThat(alert.get("status").get("silencedBy")).isEmpty();
        assertThat(alert.get("receivers").findValuesAsString("name")).containsExactly("team");
        assertThat(alert.get("generatorURL").stringValue()).startsWith("http://prometheus:9090/graph");
        assertThat(alert.get("updatedAt").stringValue()).isNotBlank();
        assertThat(Instant.parse(alert.get("endsAt").stringValue())).isAfter(Instant.now());

        // Prometheus sends every firing alert again each evaluation: that is no news
        assertThat(push(TestTokens.SERVICE, prometheusPush(name, instance, startsAt, Instant.now().plusSeconds(240))).statusCode())
                .isEqualTo(200);
        assertThat(push(TestTokens.SUBMIT, prometheusPush(name, instance, startsAt, Instant.now().minusSeconds(1))).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> stack.slack.delivered(name).size() == 2);
        assertThat(stack.slack.delivered(name).get(1).content()).contains("RESOLVED");
        assertThat(json(TestHttp.get(stack.url("/api/v2/alerts?filter=alertname%3D%22" + name + "%22"), TestTokens.READ))).isEmpty();
        JsonNode resolved = json(TestHttp.get(stack.url("/alerts?state=resolved&filter=alertname=" + name), TestTokens.READ));
        assertThat(resolved.get("alerts").get(0).get("annotations").get("resolvedBy").stringValue()).contains("its source");
    }

    @Test
    void anAlertItsSourceStopsSendingEndsAtItsEndsAt() {
        String name = "Vanishing" + unique("").replace("-", "");
        HttpResponse<String> pushed = push(TestTokens.SUBMIT, prometheusPush(name, "node-2:9100", Instant.now(), Instant.now().plusSeconds(2)));
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stack.slack.delivered(name)).hasSize(2));
        assertThat(stack.slack.delivered(name).get(1).content()).contains("RESOLVED");
        JsonNode resolved = json(TestHttp.get(stack.url("/alerts?state=resolved&filter=alertname=" + name), TestTokens.READ));
        assertThat(resolved.get("alerts").get(0).get("annotations").get("resolvedBy").stringValue()).contains("not pushed again");
    }

    @Test
    void pushingNeedsSubmitOrServiceAndBadAlertsAreRefusedWithEveryViolation() {
        String ok = prometheusPush("Nothing", "n:1", Instant.now(), Instant.now().minusSeconds(1));
        assertThat(push(null, ok).statusCode()).isEqualTo(401);
        assertThat(push(TestTokens.READ, ok).statusCode()).isEqualTo(403);
        assertThat(TestHttp.get(stack.url("/api/v2/alerts"), null).statusCode()).isEqualTo(401);

        HttpResponse<String> bad = push(TestTokens.SUBMIT, """
                [{"labels":{"1bad":"x"},"startsAt":"yesterday"}, 5,
                 {"labels":{"alertname":"A"},"annotations":{"n":1},"startsAt":"2026-01-02T00:00:00Z","endsAt":"2026-01-01T00:00:00Z"}]
                """);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(json(bad).get("violations").findValuesAsString("pointer")).containsExactlyInAnyOrder(
                "/0/labels/1bad", "/0/labels/alertname", "/0/startsAt", "/1", "/2/annotations/n", "/2/endsAt");
        assertThat(push(TestTokens.SUBMIT, "{\"labels\":{}}").statusCode()).isEqualTo(400);
        assertThat(push(TestTokens.SUBMIT, "not json").statusCode()).isEqualTo(400);
        assertThat(TestHttp.get(stack.url("/api/v2/alerts?filter=service%3D~%22(%22"), TestTokens.READ).statusCode()).isEqualTo(400);
    }

    @Test
    void silencesAreOneStoreForBothApisInAlertmanagersShape() {
        String service = unique("am-silenced");
        Instant endsAt = Instant.now().plusSeconds(3600);
        HttpResponse<String> created = TestHttp.post(stack.url("/api/v2/silences"), TestTokens.ADMIN, """
                {"matchers":[{"name":"service","value":"%s","isRegex":false,"isEqual":true},
                             {"name":"instance","value":".*:1","isRegex":true,"isEqual":true}],
                 "startsAt":"%s","endsAt":"%s","createdBy":"alice","comment":"replacing a disk"}
                """.formatted(service, goTime(Instant.now()), goTime(endsAt)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String id = json(created).get("silenceID").stringValue();

        JsonNode ours = json(TestHttp.get(stack.url("/silences/" + id), TestTokens.READ));
        assertThat(ours.get("matchers").findValuesAsString("op")).containsExactly("=", "=~");
        assertThat(ours.get("createdBy").stringValue()).isEqualTo("alice via admin");
        JsonNode theirs = json(TestHttp.get(stack.url("/api/v2/silence/" + id), TestTokens.READ));
        assertThat(theirs.get("status").get("state").stringValue()).isEqualTo("active");
        assertThat(theirs.get("matchers").get(1).get("isRegex").booleanValue()).isTrue();
        assertThat(theirs.get("matchers").get(1).get("isEqual").booleanValue()).isTrue();
        assertThat(Instant.parse(theirs.get("endsAt").stringValue())).isEqualTo(endsAt);

        // an alert it matches is suppressed, and left out when silenced alerts are not wanted
        String name = "Silenced" + unique("").replace("-", "");
        push(TestTokens.SUBMIT, """
                [{"labels":{"alertname":"%s","service":"%s","instance":"db:1"},"endsAt":"%s"}]
                """.formatted(name, service, goTime(Instant.now().plusSeconds(240))));
        await().atMost(Duration.ofSeconds(10)).until(() -> json(TestHttp.get(stack.url("/api/v2/alerts?filter=alertname%3D" + name),
                TestTokens.READ)).findValuesAsString("state").contains("suppressed"));
        JsonNode suppressed = json(TestHttp.get(stack.url("/api/v2/alerts?filter=alertname%3D" + name), TestTokens.READ)).get(0);
        assertThat(suppressed.get("status").get("silencedBy").get(0).stringValue()).isEqualTo(id);
        assertThat(json(TestHttp.get(stack.url("/api/v2/alerts?silenced=false&filter=alertname%3D" + name), TestTokens.READ))).isEmpty();

        // a silence set through GHOST's own API is listed here too, filtered by its matchers
        String mine = json(TestHttp.post(stack.url("/silences"), TestTokens.ADMIN, "{\"matchers\":[{\"name\":\"service\",\"value\":\""
                + service + "\"}],\"duration\":\"1h\",\"comment\":\"ours\"}")).get("id").stringValue();
        JsonNode listed = json(TestHttp.get(stack.url("/api/v2/silences?filter=service%3D%22" + service + "%22"), TestTokens.READ));
        assertThat(listed.findValuesAsString("id")).contains(id, mine);

        // updating: a new end keeps the id; new matchers replace the silence (the old one expires)
        String longer = TestHttp.post(stack.url("/api/v2/silences"), TestTokens.ADMIN, """
                {"id":"%s","matchers":[{"name":"service","value":"%s","isRegex":false,"isEqual":true},
                             {"name":"instance","value":".*:1","isRegex":true,"isEqual":true}],
                 "startsAt":"%s","endsAt":"%s","createdBy":"alice","comment":"replacing a disk, slowly"}
                """.formatted(id, service, goTime(Instant.now()), goTime(endsAt.plusSeconds(3600)))).body();
        assertThat(TestHttp.json(longer).get("silenceID").stringValue()).isEqualTo(id);
        String replaced = json(TestHttp.post(stack.url("/api/v2/silences"), TestTokens.ADMIN, """
                {"id":"%s","matchers":[{"name":"service","value":"%s","isRegex":false,"isEqual":true},
                             {"name":"instance","value":"db:2","isRegex":false,"isEqual":true}],
                 "endsAt":"%s","createdBy":"alice","comment":"the other one"}
                """.formatted(id, service, goTime(endsAt)))).get("silenceID").stringValue();
        assertThat(replaced).isNotEqualTo(id);
        assertThat(json(TestHttp.get(stack.url("/api/v2/silence/" + id), TestTokens.READ)).get("status").get("state").stringValue())
                .isEqualTo("expired");

        assertThat(TestHttp.delete(stack.url("/api/v2/silence/" + replaced), TestTokens.READ).statusCode()).isEqualTo(403);
        assertThat(TestHttp.delete(stack.url("/api/v2/silence/" + replaced), TestTokens.ADMIN).statusCode()).isEqualTo(200);
        assertThat(json(TestHttp.get(stack.url("/silences/" + replaced), TestTokens.READ)).get("state").stringValue()).isEqualTo("expired");
        assertThat(TestHttp.get(stack.url("/api/v2/silence/no-such-silence"), TestTokens.READ).statusCode()).isEqualTo(404);
    }

    @Test
    void badSilencesAreRefusedWithEveryViolation() {
        assertThat(TestHttp.post(stack.url("/api/v2/silences"), TestTokens.READ, "{}").statusCode()).isEqualTo(403);
        HttpResponse<String> bad = TestHttp.post(stack.url("/api/v2/silences"), TestTokens.ADMIN, """
                {"matchers":[{"name":"service","value":"(","isRegex":true},{"name":"x y","value":"a","isEqual":"yes"}],
                 "endsAt":"%s","createdBy":"bob"}
                """.formatted(goTime(Instant.now().minusSeconds(60))));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("violations").findValuesAsString("pointer"))
                .containsExactlyInAnyOrder("/matchers/0/value", "/matchers/1/isEqual", "/endsAt", "/comment");
        HttpResponse<String> everything = TestHttp.post(stack.url("/api/v2/silences"), TestTokens.ADMIN, """
                {"matchers":[{"name":"service","value":".*","isRegex":true}],"endsAt":"%s","createdBy":"bob","comment":"all"}
                """.formatted(goTime(Instant.now().plusSeconds(60))));
        assertThat(everything.statusCode()).isEqualTo(400);
        assertThat(everything.body()).contains("would silence every alert");
        HttpResponse<String> unknown = TestHttp.post(stack.url("/api/v2/silences"), TestTokens.ADMIN, """
                {"id":"no-such-silence","matchers":[{"name":"service","value":"x"}],"endsAt":"%s","createdBy":"bob","comment":"c"}
                """.formatted(goTime(Instant.now().plusSeconds(60))));
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void statusSaysWhatAmtoolChecks() {
        JsonNode status = json(TestHttp.get(stack.url("/api/v2/status"), TestTokens.READ));
        assertThat(status.get("cluster").get("status").stringValue()).isEqualTo("disabled");
        assertThat(status.get("versionInfo").get("version").stringValue()).isNotBlank();
        assertThat(status.get("config").get("original").stringValue()).isNotBlank();
        assertThat(status.get("uptime").stringValue()).isNotBlank();
    }
}
