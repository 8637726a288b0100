package dev.ghost.ml.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.test.GhostServiceTest;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.ml.signal.RecordingAlertSink;
import dev.ghost.ml.signal.SignalKind;

/** The service through real HTTP and a real Redis: inputs, dedup, signals, queries, security, bad input. */
@GhostServiceTest
class MlMonitorApiTest {

    @LocalServerPort
    int port;

    @Autowired
    RecordingAlertSink sink;

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    static String event(String id, String type, String source, String dataJson, Instant time) {
        return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"source\":\"" + source + "\",\"time\":\"" + time + "\",\"data\":" + dataJson + "}";
    }

    @Test
    void duplicateEventIdsAreDropped() {
        String id = UUID.randomUUID().toString();
        String body = "[" + event(id, "log.warn", "runner-1", "{\"message\":\"slow disk on /var/lib/x\"}", Instant.now()) + ","
                + event(id, "log.warn", "runner-1", "{\"message\":\"slow disk on /var/lib/x\"}", Instant.now()) + "]";
        JsonNode first = TestHttp.json(TestHttp.post(url("/events"), TestTokens.SERVICE, body));
        assertThat(first.get("accepted").intValue()).isEqualTo(1);
        assertThat(first.get("duplicates").intValue()).isEqualTo(1);
        JsonNode again = TestHttp.json(TestHttp.post(url("/events"), TestTokens.SERVICE, body));
        assertThat(again.get("accepted").intValue()).isZero();
        assertThat(again.get("duplicates").intValue()).isEqualTo(2);
    }

    @Test
    void plainLogLinesBecomeTemplatesWithCounts() {
        String source = "ext-" + UUID.randomUUID();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            // Three user names: enough for the miner to prove the position a variable (two could be two events).
            lines.append("Accepted password for user ").append(new String[] {"root", "deploy", "admin"}[i % 3]).append(" from 10.0.0.").append(i).append(" port 22\n");
            lines.append("Connection closed by 10.0.1.").append(i).append(" [preauth]\n");
        }
        HttpResponse<String> posted = TestHttp.send(TestHttp.request(url("/logs?source=" + source), TestTokens.SUBMIT)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(lines.toString())).build());
        assertThat(posted.statusCode()).isEqualTo(202);
        assertThat(TestHttp.json(posted).get("accepted").intValue()).isEqualTo(60);

        JsonNode templates = TestHttp.json(TestHttp.get(url("/templates?source=" + source), TestTokens.READ));
        assertThat(templates.get("count").intValue()).isEqualTo(2);
        JsonNode top = templates.get("templates").get(0);
        assertThat(top.get("count").longValue()).isEqualTo(30);
        assertThat(top.get("firstSeen").stringValue()).isNotBlank();
        assertThat(top.get("lastSeen").stringValue()).isNotBlank();
        assertThat(templates.get("templates").findValuesAsString("template"))
                .contains("Connection closed by <*> [preauth]");
    }

    @Test
    void aBurstOfAKnownTemplateIsAnAnomalyOfItsPerMinuteSeries() {
        String source = "burst-" + UUID.randomUUID();
        Instant start = Instant.parse("2026-01-05T00:00:00Z");
        java.util.Random random = new java.util.Random(9);
        StringBuilder ndjson = new StringBuilder();
        for (int minute = 0; minute < 240; minute++) {
            int lines = minute == 230 ? 120 : 2 + random.nextInt(3);
            for (int i = 0; i < lines; i++) {
                Instant at = start.plusSeconds(60L * minute + i % 60);
                ndjson.append("{\"message\":\"cache miss for key user:").append(random.nextInt(99_999))
                        .append(" in region eu-").append(random.nextInt(9)).append("\",\"time\":\"").append(at).append("\"}\n");
            }
        }
        HttpResponse<String> posted = TestHttp.send(TestHttp.request(url("/logs?source=" + source), TestTokens.SUBMIT)
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(ndjson.toString())).build());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        JsonNode anomalies = TestHttp.json(TestHttp.get(url("/anomalies?kind=anomaly&since=2026-01-01T00:00:00Z&source=" + source), TestTokens.READ));
        assertThat(anomalies.get("signals")).isNotEmpty();
        JsonNode first = anomalies.get("signals").get(anomalies.get("signals").size() - 1);
        assertThat(first.get("observedAt").stringValue()).isEqualTo(start.plusSeconds(60L * 230).toString());
        assertThat(first.get("labels").get("series").stringValue()).startsWith("template:" + source + ":");
    }

    @Test
    void errorLinesAndFailedPatchesAreClassifiedAndSignalled() {
        String source = "svc-" + UUID.randomUUID();
        String body = event(UUID.randomUUID().toString(), "log.error", source,
                "{\"message\":\"java.lang.OutOfMemoryError: Java heap space\"}", Instant.now());
        assertThat(TestHttp.post(url("/events"), TestTokens.SERVICE, body).statusCode()).isEqualTo(202);
        String target = "target-" + UUID.randomUUID();
        String patch = event(UUID.randomUUID().toString(), "patch.failed", "runner-2",
                "{\"patchId\":\"p1\",\"target\":\"" + target + "\",\"status\":\"FAILED\",\"outputTail\":\"npm ERR! 404 Not Found - GET https://registry.npmjs.org/left-padx\"}",
                Instant.now());
        assertThat(TestHttp.post(url("/events"), TestTokens.SERVICE, patch).statusCode()).isEqualTo(202);

        JsonNode bySource = TestHttp.json(TestHttp.get(url("/classifications?source=" + source), TestTokens.READ));
        assertThat(bySource.get("count").intValue()).isEqualTo(1);
        assertThat(bySource.get("classifications").get(0).get("labels").get("failureType").stringValue()).isEqualTo("out-of-memory");
        JsonNode byTarget = TestHttp.json(TestHttp.get(url("/classifications?source=" + target), TestTokens.READ));
        assertThat(byTarget.get("classifications").get(0).get("labels").get("failureType").stringValue()).isEqualTo("dependency");
        assertThat(sink.recorded()).anySatisfy(signal -> {
            assertThat(signal.kind()).isEqualTo(SignalKind.FAILURE);
            assertThat(signal.label("target")).isEqualTo(target);
            assertThat(signal.fingerprint()).hasSize(16);
        });
    }

    @Test
    void aFillingDiskIsPredictedToCrossItsThreshold() {
        String instance = "host-" + UUID.randomUUID();
        Instant start = Instant.now().minusSeconds(3600);
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 30; i++) {
            if (i > 0) {
                batch.append(',');
            }
            double usage = 0.50 + 0.01 * i;
            batch.append(event(UUID.randomUUID().toString(), "metric.sample", instance,
                    "{\"instance\":\"" + instance + "\",\"figures\":{\"disk.usage\":" + usage + "}}", start.plusSeconds(60L * i)));
        }
        batch.append(']');
        assertThat(TestHttp.post(url("/events"), TestTokens.SERVICE, batch.toString()).statusCode()).isEqualTo(202);
        JsonNode predictions = TestHttp.json(TestHttp.get(url("/predictions"), TestTokens.READ));
        assertThat(predictions.get("predictions").findValuesAsString("series")).contains("metric:" + instance + ":disk.usage");
        assertThat(sink.recorded()).anySatisfy(signal -> {
            assertThat(signal.kind()).isEqualTo(SignalKind.PREDICTION);
            assertThat(signal.label("instance")).isEqualTo(instance);
            assertThat(signal.summary()).contains("min to go");
        });
    }

    @Test
    void feedbackRetrainsTheClassifierForAdminsOnly() {
        String example = "[{\"text\":\"flux capacitor desynchronised\",\"type\":\"configuration\"}]";
        assertThat(TestHttp.post(url("/classify/feedback"), TestTokens.SUBMIT, example).statusCode()).isEqualTo(403);
        assertThat(TestHttp.post(url("/classify/feedback"), TestTokens.ADMIN, example).statusCode()).isEqualTo(202);
        TestHttp.post(url("/classify/feedback"), TestTokens.ADMIN, example);
        JsonNode prediction = TestHttp.json(TestHttp.post(url("/classify"), TestTokens.READ, "{\"text\":\"flux capacitor desynchronised again\"}"));
        assertThat(prediction.get("type").stringValue()).isEqualTo("CONFIGURATION");
    }

    @Test
    void badInputIsAProblemListingEveryViolation() {
        HttpResponse<String> response = TestHttp.post(url("/events"), TestTokens.SERVICE,
                "[{\"type\":\"log.error\"},{\"id\":\"x\",\"time\":\"yesterday\",\"data\":[1]}]");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(TestHttp.json(response).get("violations").findValuesAsString("pointer"))
                .containsExactlyInAnyOrder("/0/id", "/1/type", "/1/time", "/1/data");
        assertThat(TestHttp.post(url("/events"), TestTokens.SERVICE, "{not json").statusCode()).isEqualTo(400);
        HttpResponse<String> noSource = TestHttp.send(TestHttp.request(url("/logs"), TestTokens.SUBMIT)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("a line\n")).build());
        assertThat(noSource.statusCode()).isEqualTo(400);
        assertThat(TestHttp.get(url("/anomalies?since=whenever"), TestTokens.READ).statusCode()).isEqualTo(400);
    }

    @Autowired
    org.springframework.data.redis.core.StringRedisTemplate redis;

    @Test
    void theMonitorsOwnWarningsAreShippedAsLogEvents() {
        String marker = "ml-monitor self-test warning " + UUID.randomUUID();
        org.slf4j.LoggerFactory.getLogger("dev.ghost.ml.SelfTest").warn(marker);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            var records = redis.opsForStream().reverseRange(dev.ghost.common.redis.RedisKeys.EVENTS,
                    org.springframework.data.domain.Range.unbounded(), org.springframework.data.redis.connection.Limit.limit().count(200));
            assertThat(records).anySatisfy(r -> {
                assertThat(r.getValue().get("type")).isEqualTo("log.warn");
                assertThat(String.valueOf(r.getValue().get("event"))).contains(marker).contains("\"service\":\"ml-monitor\"");
            });
        });
    }

    @Test
    void everyEndpointNeedsTheRightCredential() {
        assertThat(TestHttp.get(url("/anomalies"), null).statusCode()).isEqualTo(401);
        assertThat(TestHttp.get(url("/templates"), null).statusCode()).isEqualTo(401);
        assertThat(TestHttp.post(url("/events"), TestTokens.READ, "[]").statusCode()).isEqualTo(403);
        assertThat(TestHttp.get(url("/anomalies"), TestTokens.READ).statusCode()).isEqualTo(200);
        assertThat(TestHttp.get(url("/actuator/health"), null).statusCode()).isEqualTo(200);
    }
}
