package dev.ghost.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.http.HttpMethod;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.relay.patch.RunnerBreakers;
import dev.ghost.relay.patch.RunnerGateway;
import dev.ghost.runner.redis.RunnerKeys;

/**
 * The patch proxy against real runners found through a real Eureka: round-robin spread, failover
 * when a runner stops mid-run, rotation after a crash, reads answered for a runner that is gone,
 * the caller's identity and roles end to end, and signed webhooks.
 */
@ExtendWith(RealRedisExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatchProxyTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> TERMINAL = List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "LOST");

    @BeforeAll
    static void stack() {
        RelayStack.start();
    }

    @Test
    @Order(1)
    void twentyPatchesOnTwentyTargetsSpreadTenAndTenOverTwoRunners() {
        RelayStack.awaitRotation(2);
        Map<String, Long> perRunner = submitSpread("two", 20);
        assertThat(perRunner).hasSize(2);
        assertThat(perRunner.values()).allSatisfy(count -> assertThat(count).isBetween(9L, 11L));
    }

    @Test
    @Order(2)
    void withThreeRunnersEachGetsAThird() {
        RelayStack.startSpare();
        RelayStack.awaitRotation(3);
        Map<String, Long> perRunner = submitSpread("three", 30);
        assertThat(perRunner).hasSize(3);
        assertThat(perRunner.values()).allSatisfy(count -> assertThat(count).isBetween(9L, 11L));
    }

    @Test
    @Order(4)
    void fiftySubmissionsWhileARunnerStopsAreEachAcceptedOnceAndFinish() throws Exception {
        RelayStack.awaitRotation(2);
        RunningApp stopping = RelayStack.runners().get(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add("failover-" + RUN + "-" + i);
        }
        List<HttpResponse<String>> responses = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                int target = i % RelayStack.TARGETS;
                sent.add(clients.submit(() -> responses.add(submit(patch(id, RelayStack.target(target), "true"), TestTokens.SUBMIT))));
                if (i == 15) {
                    clients.submit(stopping::close);
                }
            }
            for (Future<?> future : sent) {
                future.get();
            }
        } finally {
            clients.shutdown();
        }
        assertThat(responses).hasSize(50).allSatisfy(response ->
                assertThat(response.statusCode()).as(response.body()).isIn(200, 202));
        Map<String, Long> acceptedIds = responses.stream()
                .collect(Collectors.groupingBy(response -> TestHttp.json(response).get("id").stringValue(), Collectors.counting()));
        assertThat(acceptedIds.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (String id : ids) {
                HttpResponse<String> record = TestHttp.get(RelayStack.relay().url("/relay/patches/" + id), TestTokens.READ);
                assertThat(record.statusCode()).isEqualTo(200);
                assertThat(TestHttp.json(record).get("status").stringValue()).as(id).isIn(TERMINAL);
            }
        });
        RelayStack.awaitRotation(1);
    }

    @Test
    @Order(3)
    void aCrashedRunnerLeavesRotationWithinFiveSecondsAndCallsToItTripItsBreaker() {
        RunningApp spare = RelayStack.startSpare();
        RelayStack.awaitRotation(3);
        String crashed = RelayStack.instanceId(spare);
        // Its port goes dead while its Eureka heartbeats go on, as with a hung or half-dead process: only
        // the relay's own health checks can notice.
        ((WebServerApplicationContext) spare.context()).getWebServer().stop();
        Instant stopped = Instant.now();
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> !RelayStack.rotation().contains(crashed));
        System.out.printf("crashed runner out of rotation after %d ms%n", Duration.between(stopped, Instant.now()).toMillis());
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = submit(patch("after-crash-" + RUN + "-" + i, RelayStack.target(i), "true"), TestTokens.SUBMIT);
            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(TestHttp.json(response).get("runner").stringValue()).isNotEqualTo(crashed);
        }

        // Calls that still go its way (a read naming it, before the health check notices) trip its breaker,
        // and then fail at once without touching the network.
        ServiceInstance instance = new DefaultServiceInstance(crashed, "runner-service", "localhost", spare.port(), false);
        RunnerGateway gateway = RelayStack.relay().bean(RunnerGateway.class);
        RunnerBreakers breakers = RelayStack.relay().bean(RunnerBreakers.class);
        RunnerGateway.Caller caller = new RunnerGateway.Caller(
                new dev.ghost.common.security.GhostPrincipal("reader", java.util.EnumSet.of(dev.ghost.common.security.Role.READ)));
        for (int i = 0; i < 10 && !breakers.isOpen(instance); i++) {
            assertThatThrownBy(() -> gateway.at(instance, HttpMethod.GET, URI.create("/patches/any"), caller))
                    .isInstanceOf(GhostProblemException.class);
        }
        assertThat(breakers.isOpen(instance)).isTrue();
        assertThatThrownBy(() -> gateway.at(instance, HttpMethod.GET, URI.create("/patches/any"), caller))
                .hasMessageContaining("No runner-service instance");
        assertThat(TestHttp.get(RelayStack.relay().url("/relay/runners"), TestTokens.READ).body())
                .contains("\"instanceId\":\"" + crashed + "\",\"uri\":\"http://localhost:" + spare.port() + "\",\"inRotation\":false,\"circuit\":\"OPEN\"");
        spare.close();
    }

    @Test
    @Order(5)
    void aPatchWhoseRunnerIsGoneIsAnsweredFromRedisAndLostIfItWasStillRunning() {
        StringRedisTemplate redis = RelayStack.relay().bean(StringRedisTemplate.class);
        String id = "orphan-" + RUN;
        redis.opsForValue().set(RunnerKeys.patch(id), """
                {"id":"%s","hash":"abc","status":"RUNNING","target":"t01","runner":"localhost:runner-service:1","steps":[]}
                """.formatted(id), Duration.ofMinutes(10));
        HttpResponse<String> response = TestHttp.get(RelayStack.relay().url("/relay/patches/" + id), TestTokens.READ);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Ghost-Runner")).contains("redis");
        assertThat(TestHttp.json(response).get("status").stringValue()).isEqualTo("LOST");

        HttpResponse<String> log = TestHttp.get(RelayStack.relay().url("/relay/patches/" + id + "/log"), TestTokens.READ);
        assertThat(log.statusCode()).isEqualTo(503);
        assertThat(TestHttp.json(log).get("type").stringValue()).isEqualTo("urn:ghost:problem:log-runner-unavailable");
    }

    @Test
    @Order(6)
    void logSummaryListAndCancelGoThroughTheRelay() {
        String id = "readable-" + RUN;
        assertThat(submit(patch(id, "t02", "echo hello-from-" + id), TestTokens.SUBMIT).statusCode()).isEqualTo(202);
        awaitStatus(id, "SUCCEEDED");
        HttpResponse<String> log = TestHttp.get(RelayStack.relay().url("/relay/patches/" + id + "/log"), TestTokens.READ);
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.body()).contains("hello-from-" + id);
        assertThat(log.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");

        HttpResponse<String> summary = TestHttp.get(RelayStack.relay().url("/relay/patches/" + id + "/summary"), TestTokens.READ);
        assertThat(summary.statusCode()).isEqualTo(200);
        assertThat(summary.body()).contains(id).contains("SUCCEEDED");

        HttpResponse<String> list = TestHttp.get(RelayStack.relay().url("/relay/patches?limit=500"), TestTokens.READ);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains(id);
        HttpResponse<String> badList = TestHttp.get(RelayStack.relay().url("/relay/patches?status=BOGUS"), TestTokens.READ);
        assertThat(badList.statusCode()).isEqualTo(400);
        assertThat(badList.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");

        String slow = "slow-" + RUN;
        assertThat(submit(patch(slow, "t03", "sleep 30"), TestTokens.SUBMIT).statusCode()).isEqualTo(202);
        awaitStatus(slow, "RUNNING");
        HttpResponse<String> cancelled = TestHttp.post(RelayStack.relay().url("/relay/patches/" + slow + "/cancel"), TestTokens.SUBMIT, "");
        assertThat(cancelled.statusCode()).isEqualTo(202);
        awaitStatus(slow, "CANCELLED");

        HttpResponse<String> dedup = submit(patch(id, "t02", "echo hello-from-" + id), TestTokens.SUBMIT);
        assertThat(dedup.statusCode()).isEqualTo(200);
        assertThat(dedup.headers().firstValue("Ghost-Dedup")).contains("hit");
        HttpResponse<String> conflict = submit(patch(id, "t02", "echo other"), TestTokens.SUBMIT);
        assertThat(conflict.statusCode()).isEqualTo(409);
        HttpResponse<String> missing = TestHttp.get(RelayStack.relay().url("/relay/patches/no-such-" + RUN), TestTokens.READ);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(TestHttp.json(missing).get("type").stringValue()).isEqualTo("urn:ghost:problem:patch-not-found");
    }

    @Test
    @Order(6)
    void aResubmittedFinishedPatchIsAnsweredByTheRelayItselfAndARunningOneByItsRunner() {
        String id = "resubmitted-" + RUN;
        String body = patch(id, "t02", "echo once-" + id);
        assertThat(submit(body, TestTokens.SUBMIT).statusCode()).isEqualTo(202);
        awaitStatus(id, "SUCCEEDED");
        HttpResponse<String> fromRunner = submit(body, TestTokens.SUBMIT);
        HttpResponse<String> fromRelay = submit(body, TestTokens.SUBMIT);
        assertThat(fromRunner.statusCode()).isEqualTo(200);
        assertThat(fromRunner.headers().firstValue("Age")).as("the first resubmission goes to a runner").isEmpty();
        assertThat(fromRelay.statusCode()).isEqualTo(200);
        assertThat(fromRelay.headers().firstValue("Ghost-Dedup")).contains("hit");
        assertThat(fromRelay.headers().firstValue("Age")).as("answered from the relay's memory").isPresent();
        assertThat(fromRelay.headers().firstValue("Ghost-Runner")).isEqualTo(fromRunner.headers().firstValue("Ghost-Runner"));
        assertThat(TestHttp.json(fromRelay).get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(fromRelay.body()).isEqualTo(fromRunner.body());
        assertThat(submit(body, TestTokens.READ).statusCode()).as("roles are checked before any answer").isEqualTo(403);
        assertThat(submit(patch(id, "t02", "echo other"), TestTokens.SUBMIT).statusCode()).isEqualTo(409);

        String running = "still-running-" + RUN;
        String slow = patch(running, "t03", "sleep 30");
        assertThat(submit(slow, TestTokens.SUBMIT).statusCode()).isEqualTo(202);
        awaitStatus(running, "RUNNING");
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> again = submit(slow, TestTokens.SUBMIT);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.headers().firstValue("Age")).as("a running patch's answer still changes: its runner gives it").isEmpty();
        }
        assertThat(TestHttp.post(RelayStack.relay().url("/relay/patches/" + running + "/cancel"), TestTokens.SUBMIT, "").statusCode())
                .isEqualTo(202);
        awaitStatus(running, "CANCELLED");
    }

    @Test
    @Order(7)
    void aSessionOpenedAtTheRelayCarriesTheCallersIdentityAndRolesToTheRunner() {
        HttpResponse<String> opened = TestHttp.post(RelayStack.relay().url("/auth/session"), TestTokens.SUBMIT, "");
        assertThat(opened.statusCode()).isEqualTo(201);
        String session = TestHttp.json(opened).get("token").stringValue();
        String id = "session-" + RUN;
        HttpResponse<String> accepted = TestHttp.send(TestHttp.request(RelayStack.relay().url("/relay/patches"), null)
                .header("X-Auth-Token", session).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(patch(id, "t04", "true"))).build());
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("Location")).contains("/relay/patches/" + id);
        // the runner saw the caller, not the relay: a super-user token would have been recorded as 'service' or 'admin'
        assertThat(TestHttp.json(accepted).get("submittedBy").stringValue()).isEqualTo("submitter");

        HttpResponse<String> readOpened = TestHttp.post(RelayStack.relay().url("/auth/session"), TestTokens.READ, "");
        String readSession = TestHttp.json(readOpened).get("token").stringValue();
        HttpResponse<String> refused = TestHttp.send(TestHttp.request(RelayStack.relay().url("/relay/patches"), null)
                .header("X-Auth-Token", readSession).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(patch("read-only-" + RUN, "t04", "true"))).build());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(submit(patch("read-token-" + RUN, "t04", "true"), TestTokens.READ).statusCode()).isEqualTo(403);
        assertThat(TestHttp.get(RelayStack.relay().url("/relay/patches/read-only-" + RUN), TestTokens.READ).statusCode()).isEqualTo(404);
        assertThat(TestHttp.get(RelayStack.relay().url("/relay/patches"), null).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(8)
    void signedWebhooksAreSubmittedUnderTheirSecretsNameAndEverythingElseIsRefused() {
        String id = "webhook-" + RUN;
        String body = patch(id, "t05", "true");
        long now = Instant.now().getEpochSecond();
        String signature = sign(RelayStack.WEBHOOK_SECRET, now, body);

        HttpResponse<String> good = webhook(body, signature, now);
        assertThat(good.statusCode()).as(good.body()).isEqualTo(202);
        assertThat(TestHttp.json(good).get("submittedBy").stringValue()).isEqualTo("webhook:ci");

        HttpResponse<String> replayed = webhook(body, signature, now);
        assertThat(replayed.statusCode()).isEqualTo(409);
        assertThat(TestHttp.json(replayed).get("type").stringValue()).isEqualTo("urn:ghost:problem:webhook-replayed");
        // a captured delivery sent again with a fresh timestamp: the signature covers the timestamp, so it no longer matches
        assertProblem(webhook(body, signature, now + 1), 401, "webhook-signature-invalid");
        // the old scheme, a signature over the body alone, is refused outright
        assertProblem(webhook(body, "sha256=" + hmac(RelayStack.WEBHOOK_SECRET, body), now), 401, "webhook-signature-scheme-retired");

        String rotated = patch("webhook-next-" + RUN, "t05", "true");
        HttpResponse<String> second = webhook(rotated, sign(RelayStack.WEBHOOK_SECRET_NEXT, now, rotated), now);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(TestHttp.json(second).get("submittedBy").stringValue()).isEqualTo("webhook:ci-next");

        String other = patch("webhook-bad-" + RUN, "t05", "true");
        assertProblem(webhook(other, sign("not-the-secret-0123456789", now, other), now), 401, "webhook-signature-invalid");
        assertProblem(webhook(other, signature, now), 401, "webhook-signature-invalid");
        assertProblem(webhook(other, null, now), 401, "webhook-signature-missing");
        assertProblem(webhook(other, "v1=zz", now), 401, "webhook-signature-invalid");
        assertProblem(webhook(other, sign(RelayStack.WEBHOOK_SECRET, now - 400, other), now - 400), 401, "webhook-timestamp-stale");
        assertProblem(webhook(other, sign(RelayStack.WEBHOOK_SECRET, now + 400, other), now + 400), 401, "webhook-timestamp-stale");
        assertProblem(webhook(other, sign(RelayStack.WEBHOOK_SECRET, now, other), null), 401, "webhook-timestamp-missing");
        assertThat(TestHttp.get(RelayStack.relay().url("/relay/patches/webhook-bad-" + RUN), TestTokens.READ).statusCode()).isEqualTo(404);

        String invalid = "{\"id\":\"../nope\",\"mutations\":[]}";
        HttpResponse<String> rejected = webhook(invalid, sign(RelayStack.WEBHOOK_SECRET, now, invalid), now);
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(rejected).get("violations")).isNotEmpty();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(TestHttp.json(response).get("type").stringValue()).isEqualTo("urn:ghost:problem:" + slug);
        assertThat(response.body()).doesNotContain(RelayStack.WEBHOOK_SECRET);
    }

    private static Map<String, Long> submitSpread(String label, int count) {
        Map<String, Long> perRunner = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = submit(patch("spread-" + label + "-" + RUN + "-" + i, RelayStack.target(i), "true"),
                    TestTokens.SUBMIT);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            perRunner.merge(TestHttp.json(response).get("runner").stringValue(), 1L, Long::sum);
        }
        return perRunner;
    }

    static HttpResponse<String> submit(String patch, String token) {
        return TestHttp.post(RelayStack.relay().url("/relay/patches"), token, patch);
    }

    static String patch(String id, String target, String command) {
        return """
                {"id":"%s","target":"%s","mutations":[{"path":"%s.txt","contents":"relayed\\n"}],"validate":{"shell":["%s"]}}
                """.formatted(id, target, id, command);
    }

    static void awaitStatus(String id, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpResponse<String> record = TestHttp.get(RelayStack.relay().url("/relay/patches/" + id), TestTokens.READ);
            return record.statusCode() == 200 && status.equals(TestHttp.json(record).get("status").stringValue());
        });
    }

    private static HttpResponse<String> webhook(String body, String signature, Long timestamp) {
        HttpRequest.Builder request = TestHttp.request(RelayStack.relay().url("/webhooks/patches"), null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("X-Ghost-Signature", signature);
        }
        if (timestamp != null) {
            request.header("X-Ghost-Timestamp", String.valueOf(timestamp));
        }
        return TestHttp.send(request.build());
    }

    /** The signature of a delivery: v1, HMAC-SHA256 over "v1:" + timestamp + ":" + body (the scheme Slack and Stripe use). */
    static String sign(String secret, long timestamp, String body) {
        return "v1=" + hmac(secret, "v1:" + timestamp + ":" + body);
    }

    static String hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

}
