package dev.ghost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.e2e.support.GhostServices;
import dev.ghost.e2e.support.SlackWebhookRecorder;
import dev.ghost.health.HealthAggregatorApplication;
import dev.ghost.registry.TestRegistry;
import dev.ghost.runner.RunnerApplication;

/**
 * The whole chain, every service real and in this JVM, talking HTTP through the real registry:
 * runners and the health-aggregator emit events, the relay's hub delivers them to ml-monitor, and
 * ml-monitor's alerting posts to a local server speaking Slack's incoming-webhook protocol.
 * Names unique to the run keep a shared, long-lived Redis from mixing runs.
 */
@ExtendWith(RealRedisExtension.class)
class StackToSlackTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String ML = "ml-monitor-" + RUN;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    static SlackWebhookRecorder slack;
    static TestRegistry registry;
    static Path home;
    static RunningApp steadyRunner;
    static RunningApp victimRunner;
    static int victimPort;
    static RunningApp relay;
    static RunningApp ml;
    static RunningApp health;

    @BeforeAll
    static void startTheStack() throws IOException {
        slack = new SlackWebhookRecorder();
        home = Files.createTempDirectory("ghost-e2e");
        registry = TestRegistry.start();
        steadyRunner = runner("steady", TestApps.freePort());
        victimPort = TestApps.freePort();
        victimRunner = runner("victim", victimPort);

        relay = GhostServices.relayFor(discovery(), ML, "patch.*,health.*");
        ml = GhostServices.startMlMonitor(GhostServices.mlMonitor(discovery(), ML, "e2e-" + RUN, slack.webhookUrl("e2e")));

        Map<String, String> healthProperties = discovery();
        healthProperties.put("ghost.health.interval", "2s");
        health = TestApps.start(HealthAggregatorApplication.class, healthProperties);
    }

    @AfterAll
    static void stopTheStack() {
        GhostServices.closeAll(Arrays.asList(health, ml, relay, victimRunner, steadyRunner, registry, slack));
    }

    private static Map<String, String> discovery() {
        return GhostServices.discovery(registry);
    }

    private static RunningApp runner(String name, int port) {
        Map<String, String> properties = discovery();
        properties.put("server.port", String.valueOf(port));
        properties.put("ghost.runner.workspaces.e2e-" + RUN, home.resolve("workspace").toString());
        properties.put("ghost.runner.state-dir", home.resolve("state-" + name).toString());
        return TestApps.start(RunnerApplication.class, properties);
    }

    private static List<String> messagesContaining(String... parts) {
        return slack.containing(parts);
    }

    private static String runnerServiceStatus() {
        HttpResponse<String> response = TestHttp.get(health.url("/health/services/runner-service"), TestTokens.READ);
        return response.statusCode() == 200 ? TestHttp.json(response).get("status").stringValue() : "unknown";
    }

    @Test
    void aStoppedRunnerIsOneDownMessageThenOneResolve() {
        Awaitility.await().atMost(PATIENCE).until(() -> runnerServiceStatus().equals("UP"));

        victimRunner.close();
        Awaitility.await().atMost(PATIENCE).until(() -> !messagesContaining("FIRING", "runner-service").isEmpty());
        assertThat(messagesContaining("FIRING", "runner-service").get(0)).contains("DOWN");

        victimRunner = runner("victim", victimPort);
        Awaitility.await().atMost(PATIENCE).until(() -> !messagesContaining("RESOLVED", "runner-service").isEmpty());

        assertThat(messagesContaining("FIRING", "runner-service")).as(String.join("\n", slack.messages())).hasSize(1);
        assertThat(messagesContaining("RESOLVED", "runner-service")).hasSize(1);
    }

    @Test
    void threeFailedPatchesOnOneTargetAreOneMessageNamingTheFailureType() {
        String target = "e2e-" + RUN;
        for (int i = 0; i < 3; i++) {
            String id = "compile-fails-" + RUN + "-" + i;
            String patch = """
                    {"id": "%s", "target": "%s",
                     "mutations": [{"path": "Main.java", "contents": "class Main { void f() { undefinedCall(); } }\\n"}],
                     "validate": {"shell": ["echo 'Main.java:1: error: cannot find symbol' >&2; echo '  symbol: method undefinedCall()' >&2; exit 1"]}}
                    """.formatted(id, target);
            assertThat(TestHttp.post(relay.url("/relay/patches"), TestTokens.SUBMIT, patch).statusCode()).isEqualTo(202);
            Awaitility.await().atMost(PATIENCE).until(() -> {
                JsonNode record = TestHttp.json(TestHttp.get(relay.url("/relay/patches/" + id), TestTokens.READ));
                return "FAILED".equals(record.path("status").stringValue());
            });
        }

        Awaitility.await().atMost(PATIENCE).until(() -> !messagesContaining("Patches fail on target " + target).isEmpty());
        String message = messagesContaining("Patches fail on target " + target).get(0);
        assertThat(message).contains("compile").contains("Occurrences:* 3");
        // the streak stays one alert: no second message for the same target while it keeps failing
        Awaitility.await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                .until(() -> messagesContaining("Patches fail on target " + target).size() == 1);
    }
}
