package dev.ghost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.test.LocalRedisCluster;
import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.e2e.support.GhostServices;
import dev.ghost.e2e.support.SlackWebhookRecorder;
import dev.ghost.registry.TestRegistry;
import dev.ghost.runner.RunnerApplication;

/**
 * Runner, relay and ml-monitor (with its alerting) on a real 3+3 Redis Cluster, unchanged:
 * submissions and dedup (Lua scripts whose keys share a hash tag), sessions opened at one service
 * and used at another, the relay's outbox streams to ml-monitor and the alert they end in; then a
 * master killed while patches run: none is lost, all finish, and work goes on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String ML = "ml-monitor-cluster-" + RUN;
    static final Duration PATIENCE = Duration.ofSeconds(60);

    static LocalRedisCluster cluster;
    static SlackWebhookRecorder slack;
    static Path home;
    static TestRegistry registry;
    static RunningApp runner;
    static RunningApp relay;
    static RunningApp ml;

    @BeforeAll
    static void start() throws IOException {
        cluster = LocalRedisCluster.start(3, 1);
        slack = new SlackWebhookRecorder();
        home = Files.createTempDirectory("ghost-cluster");
        registry = TestRegistry.start();

        Map<String, String> runnerProperties = onCluster();
        for (int i = 0; i < 6; i++) {
            runnerProperties.put("ghost.runner.workspaces.c" + i, home.resolve("workspaces/c" + i).toString());
        }
        runnerProperties.put("ghost.runner.state-dir", home.resolve("state").toString());
        runnerProperties.put("ghost.runner.max-concurrent", "6");
        runner = TestApps.start(RunnerApplication.class, runnerProperties);

        relay = GhostServices.relayFor(onCluster(), ML, "patch.*");
        ml = GhostServices.startMlMonitor(GhostServices.mlMonitor(onCluster(), ML, "cluster-" + RUN, slack.webhookUrl("cluster")));
        awaitRunnerInRotation();
    }

    @AfterAll
    static void stop() {
        GhostServices.closeAll(Arrays.asList(ml, relay, runner, registry, cluster, slack));
    }

    private static Map<String, String> onCluster() {
        Map<String, String> properties = new HashMap<>(registry.clientProperties());
        properties.put("spring.data.redis.cluster.nodes", cluster.nodesProperty());
        properties.put("eureka.instance.lease-renewal-interval-in-seconds", "2");
        properties.put("eureka.instance.lease-expiration-duration-in-seconds", "10");
        return properties;
    }

    private static void awaitRunnerInRotation() {
        Awaitility.await().atMost(PATIENCE).until(() ->
                TestHttp.get(relay.url("/relay/runners"), TestTokens.READ).body().contains("\"inRotation\":true"));
    }

    private static String patch(String id, String target, String command) {
        return """
                {"id":"%s","target":"%s","mutations":[{"path":"%s.txt","contents":"on a cluster\\n"}],"validate":{"shell":["%s"]}}
                """.formatted(id, target, id, command);
    }

    private static JsonNode awaitEnd(String id) {
        return Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> record = TestHttp.get(relay.url("/relay/patches/" + id), TestTokens.READ);
            return record.statusCode() == 200 ? TestHttp.json(record) : null;
        }, record -> record != null && List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "LOST")
                .contains(record.path("status").stringValue()));
    }

    @Test
    @Order(1)
    void submissionsDedupSessionsOutboxesAndAlertsWorkOnTheCluster() {
        String id = "cluster-" + RUN;
        HttpResponse<String> accepted = TestHttp.post(relay.url("/relay/patches"), TestTokens.SUBMIT, patch(id, "c0", "true"));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(awaitEnd(id).path("status").stringValue()).isEqualTo("SUCCEEDED");
        HttpResponse<String> again = TestHttp.post(runner.url("/patches"), TestTokens.SUBMIT, patch(id, "c0", "true"));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Ghost-Dedup")).contains("hit");

        String session = TestHttp.json(TestHttp.post(relay.url("/auth/session"), TestTokens.SUBMIT, "")).get("token").stringValue();
        HttpResponse<String> me = TestHttp.send(TestHttp.request(runner.url("/auth/me"), null).header("X-Auth-Token", session).GET().build());
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(me).get("principal").stringValue()).isEqualTo("submitter");

        // events reach ml-monitor through the relay's outbox streams; three failures on a target are one alert
        for (int i = 0; i < 3; i++) {
            String failing = "cluster-fails-" + RUN + "-" + i;
            assertThat(TestHttp.post(relay.url("/relay/patches"), TestTokens.SUBMIT, patch(failing, "c1", "exit 3")).statusCode())
                    .isEqualTo(202);
            assertThat(awaitEnd(failing).path("status").stringValue()).isEqualTo("FAILED");
        }
        Awaitility.await().atMost(PATIENCE).until(() -> !slack.containing("FIRING", "Patches fail on target c1").isEmpty());
    }

    @Test
    @Order(2)
    void aMasterKilledWhilePatchesRunLosesNoPatchAndWorkGoesOn() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = "failover-" + RUN + "-" + i;
            HttpResponse<String> accepted = TestHttp.post(runner.url("/patches"), TestTokens.SUBMIT, patch(id, "c" + i, "sleep 4"));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            ids.add(id);
        }
        Awaitility.await().atMost(PATIENCE).until(() -> ids.stream().allMatch(id ->
                "RUNNING".equals(TestHttp.json(TestHttp.get(runner.url("/patches/" + id), TestTokens.READ)).path("status").stringValue())));
        Instant killedAt = Instant.now();
        cluster.masters().get(0).kill();
        cluster.awaitHealthy();

        for (String id : ids) {
            JsonNode record = awaitEnd(id);
            assertThat(record.path("status").stringValue()).as(record.toString()).isEqualTo("SUCCEEDED");
        }
        // every record is in Redis (through the relay's reader of runner records too), and new work is taken
        for (String id : ids) {
            HttpResponse<String> stored = TestHttp.get(runner.url("/patches/" + id), TestTokens.READ);
            assertThat(stored.statusCode()).isEqualTo(200);
        }
        // the relay puts the runner back in rotation once its health (Redis included) is UP again
        String after = "after-failover-" + RUN;
        Awaitility.await().atMost(PATIENCE).untilAsserted(() -> {
            HttpResponse<String> accepted = TestHttp.send(TestHttp.request(relay.url("/relay/patches"), TestTokens.SUBMIT)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(patch(after, "c5", "true")))
                    .build());
            assertThat(accepted.statusCode()).as("failover began at %s: %s", killedAt, accepted.body()).isEqualTo(202);
        });
        assertThat(awaitEnd(after).path("status").stringValue()).isEqualTo("SUCCEEDED");
    }
}
