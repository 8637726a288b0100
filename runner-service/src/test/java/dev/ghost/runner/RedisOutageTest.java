package dev.ghost.runner;

import static dev.ghost.runner.RunnerClient.patch;
import static dev.ghost.runner.RunnerClient.shell;
import static dev.ghost.runner.RunnerClient.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.RealRedisExtension.EmbeddedRedis;
import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;

/** Redis goes away: 503 problems and DOWN health, never 500; a running patch still ends cleanly; all recovers. */
@ExtendWith(RealRedisExtension.class)
class RedisOutageTest {

    static EmbeddedRedis redis;
    static RunningApp app;
    static RunnerClient runner;
    static Path workspace;

    @BeforeAll
    static void start() throws IOException {
        redis = EmbeddedRedis.start();
        Path home = Files.createTempDirectory("ghost-runner-outage");
        workspace = home.resolve("ws");
        app = TestApps.start(RunnerApplication.class, Map.of(
                "spring.data.redis.url", redis.url(),
                "ghost.runner.workspaces.default", workspace.toString(),
                "ghost.runner.state-dir", home.resolve("state").toString(),
                "ghost.runner.lease", "2s"));
        runner = new RunnerClient(app);
    }

    @AfterAll
    static void stop() {
        app.close();
        redis.stop();
    }

    @Test
    void outageGives503AndDownHealthThenEverythingRecovers() throws Exception {
        String file = uniqueId("o") + ".txt";
        Files.writeString(workspace.resolve(file), "before\n");
        String running = uniqueId("through-outage");
        ObjectNode patch = shell(patch(running, "default"), "validate", "sleep 3; grep -q after " + file);
        patch.putArray("mutations").addObject().put("path", file).put("contents", "after\n");
        runner.accepted(patch);
        runner.awaitStatus(running, "RUNNING");

        redis.stop();
        try {
            HttpResponse<String> submit = runner.submit(shell(patch(uniqueId("during"), "default"), "validate", "true"));
            assertThat(submit.statusCode()).isEqualTo(503);
            assertThat(submit.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(TestHttp.json(submit).get("type").stringValue()).isEqualTo("urn:ghost:problem:redis-unavailable");
            assertThat(submit.headers().firstValue("Retry-After")).isPresent();
            assertThat(TestHttp.get(app.url("/patches?limit=5"), TestTokens.READ).statusCode()).isEqualTo(503);
            // this runner's own patch is still served from memory
            assertThat(runner.status(running)).isEqualTo("RUNNING");
            HttpResponse<String> health = TestHttp.get(app.url("/actuator/health"), null);
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(TestHttp.json(health).get("status").stringValue()).isEqualTo("DOWN");

            // the patch in flight finishes on its own, and the workspace is consistent
            await().atMost(Duration.ofSeconds(30)).until(() -> !app.bean(dev.ghost.runner.patch.PatchService.class).activeHere(running));
            assertThat(Files.readString(workspace.resolve(file))).isEqualTo("after\n");
        } finally {
            redis.restart();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> TestHttp.get(app.url("/actuator/health"), null).statusCode() == 200);
        // the final record, written while Redis was away, reaches the restarted Redis
        await().atMost(Duration.ofSeconds(30)).until(() -> TestHttp.get(app.url("/patches/" + running), TestTokens.READ).statusCode() == 200);
        assertThat(runner.record(running).get("status").stringValue()).isEqualTo("SUCCEEDED");

        String after = uniqueId("after-outage");
        runner.accepted(shell(patch(after, "default"), "validate", "true"));
        JsonNode record = runner.awaitFinished(after);
        assertThat(record.get("status").stringValue()).isEqualTo("SUCCEEDED");
    }
}
