package dev.ghost.runner;

import static dev.ghost.runner.RunnerClient.patch;
import static dev.ghost.runner.RunnerClient.shell;
import static dev.ghost.runner.RunnerClient.tree;
import static dev.ghost.runner.RunnerClient.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;

/**
 * A real runner in a JVM of its own, with secrets in its environment: its commands never see
 * them; and when it is killed with SIGKILL mid-patch, its lease lapses (LOST), and a runner
 * restarted on its state directory kills what it left running and restores the workspace.
 */
@ExtendWith(RealRedisExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunnerCrashTest {

    static final String EUREKA_SECRET = "eureka-secret-" + System.nanoTime();
    static Path home;
    static Path workspace;
    static Process child;
    static RunnerClient childRunner;
    static Path childLog;

    @BeforeAll
    static void startChildRunner() throws IOException {
        SharedRunner.app(); // its sweeper is the "other runner" that notices the lapsed lease
        home = Files.createTempDirectory("ghost-runner-crash");
        workspace = Files.createDirectories(home.resolve("ws"));
        int port = TestApps.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), RunnerApplication.class.getName(),
                "--server.port=" + port,
                "--eureka.client.enabled=false",
                "--ghost.runner.workspaces.default=" + workspace,
                "--ghost.runner.state-dir=" + home.resolve("state"),
                "--ghost.runner.lease=2s"));
        TestTokens.properties().forEach((key, value) -> {
            if (!key.equals("ghost.security.admin-token")) {
                command.add("--" + key + "=" + value);
            }
        });
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("GHOST_ADMIN_TOKEN", TestTokens.ADMIN); // the runner's own secrets
        builder.environment().put("REDIS_URL", RealRedisExtension.url());
        builder.environment().put("EUREKA_PASSWORD", EUREKA_SECRET);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", EUREKA_SECRET);
        childLog = home.resolve("child.log");
        child = builder.redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
        RunningApp remote = new RunningApp(null, port);
        childRunner = new RunnerClient(remote);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(child.isAlive()).as("child runner died; see %s", childLog).isTrue();
            try {
                return TestHttp.get(remote.url("/actuator/health"), null).statusCode() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    @AfterAll
    static void stopChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    @Order(1)
    void commandsSeeOnlyTheAllowlistedEnvironment() throws IOException {
        Path envDump = home.resolve("env.txt");
        String envId = uniqueId("env");
        childRunner.accepted(shell(patch(envId, "default"), "validate", "env > " + envDump));
        assertThat(childRunner.awaitFinished(envId).get("status").stringValue()).isEqualTo("SUCCEEDED");
        String env = Files.readString(envDump);
        assertThat(env).contains("PATH=", "GHOST_PATCH_ID=" + envId, "GHOST_TARGET=default")
                .doesNotContain("GHOST_ADMIN_TOKEN", "REDIS_URL", "EUREKA_PASSWORD", "AWS_SECRET_ACCESS_KEY", EUREKA_SECRET, TestTokens.ADMIN);
    }

    @Test
    @Order(2)
    void twoRunnersNeverInterleaveOnOneTargetAndACancelReachesTheRunnerHoldingThePatch() {
        RunnerClient shared = new RunnerClient(SharedRunner.app());
        // both runners have a workspace called "default": the Redis lock serializes them
        String first = childRunner.accepted(shell(patch(uniqueId("x-child"), "default"), "validate", "sleep 1"));
        childRunner.awaitStatus(first, "RUNNING");
        String second = shared.accepted(shell(patch(uniqueId("x-shared"), "default"), "validate", "true"));
        JsonNode a = childRunner.awaitFinished(first);
        JsonNode b = shared.awaitFinished(second);
        assertThat(java.time.Instant.parse(b.get("startedAt").stringValue()))
                .isAfterOrEqualTo(java.time.Instant.parse(a.get("finishedAt").stringValue()));

        // a cancel sent to the other runner is flagged in Redis and carried out by the owner
        String running = childRunner.accepted(shell(patch(uniqueId("x-cancel"), "default"), "validate", "sleep 60"));
        childRunner.awaitStatus(running, "RUNNING");
        assertThat(shared.cancel(running).statusCode()).isEqualTo(202);
        JsonNode cancelled = childRunner.awaitFinished(running);
        assertThat(cancelled.get("status").stringValue()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("runner").stringValue()).isNotEqualTo(shared.record(second).get("runner").stringValue());
    }

    @Test
    @Order(3)
    void killingTheRunnerMidPatchEndsLostThenARestartRestoresTheWorkspace() throws Exception {
        Files.writeString(workspace.resolve("precious.txt"), "precious\n");
        Map<String, String> before = tree(workspace);
        Path pids = home.resolve("pids");
        String id = uniqueId("crash");
        ObjectNode patch = shell(patch(id, "default"), "postMutationBuild",
                "sleep 300 & echo $! >> " + pids + "; echo ready > " + home.resolve("ready") + "; sleep 301");
        var mutations = patch.putArray("mutations");
        mutations.addObject().put("path", "precious.txt").put("contents", "half-applied\n");
        mutations.addObject().put("path", "new/created.txt").put("contents", "new\n");
        childRunner.accepted(patch);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(home.resolve("ready")));
        assertThat(Files.readString(workspace.resolve("precious.txt"))).isEqualTo("half-applied\n");

        child.destroyForcibly().waitFor();

        // the lease lapses; another runner's sweeper declares the patch LOST
        RunnerClient shared = new RunnerClient(SharedRunner.app());
        JsonNode lost = shared.awaitStatus(id, "LOST");
        assertThat(lost.get("error").stringValue()).contains("lease");
        assertThat(lost.get("rolledBack").booleanValue()).isFalse();
        assertThat(Files.readString(workspace.resolve("precious.txt"))).as("nobody else may touch its snapshot").isEqualTo("half-applied\n");

        // a runner restarted on the same state directory kills the leftovers and restores the workspace
        long orphan = Long.parseLong(Files.readString(pids).trim());
        assertThat(ProcessControlTest.dead(orphan)).as("the killed runner's command outlived it").isFalse();
        try (RunningApp restarted = TestApps.start(RunnerApplication.class, Map.of(
                "ghost.runner.workspaces.default", workspace.toString(),
                "ghost.runner.state-dir", home.resolve("state").toString()))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tree(workspace)).isEqualTo(before));
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessControlTest.dead(orphan));
            JsonNode record = await().atMost(Duration.ofSeconds(10)).until(() -> shared.record(id), r -> r.get("rolledBack").booleanValue());
            assertThat(record.get("status").stringValue()).isEqualTo("LOST");
            assertThat(record.get("error").stringValue()).contains("restored");
            assertThat(home.resolve("state/running")).isEmptyDirectory();
            // and the target is usable again
            RunnerClient again = new RunnerClient(restarted);
            String next = again.accepted(shell(patch(uniqueId("after-crash"), "default"), "validate", "true"));
            assertThat(again.awaitFinished(next).get("status").stringValue()).isEqualTo("SUCCEEDED");
        }
    }
}
