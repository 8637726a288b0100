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
import dev.ghost.common.test.TestTokens;

/**
 * A real runner in a JVM of its own, with secrets in its environment and on disk around its
 * workspace: its commands never see them; two runners share a target's lock; and when it is killed
 * with SIGKILL mid-patch, its lease lapses (LOST), its commands die with it, and a runner restarted
 * on its state directory finds the workspace untouched and says so.
 */
@ExtendWith(RealRedisExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunnerCrashTest {

    static final String SECRET = "eureka-secret-" + System.nanoTime();
    static Path home;
    static Path workspace;
    static ChildRunner child;
    static RunnerClient childRunner;

    @BeforeAll
    static void startChildRunner() throws IOException {
        SharedRunner.app(); // its sweeper is the "other runner" that notices the lapsed lease
        home = Files.createTempDirectory("ghost-runner-crash");
        workspace = Files.createDirectories(home.resolve("workspaces/default"));
        Files.writeString(home.resolve("token"), SECRET + "\n"); // where ../../token leads from the workspace
        child = new ChildRunner(home, workspace, RealRedisExtension.url(),
                Map.of("EUREKA_PASSWORD", SECRET, "AWS_SECRET_ACCESS_KEY", SECRET)).start();
        childRunner = child.client();
    }

    @AfterAll
    static void stopChild() {
        if (child != null) {
            child.close();
        }
    }

    @Test
    @Order(1)
    void commandsSeeNoSecretOfTheRunnerNorAnythingAroundTheirWorkspace() throws IOException {
        String id = uniqueId("secrets");
        childRunner.accepted(shell(patch(id, "default"), "validate",
                "env > env.txt",
                "cat ../../token > token.txt 2>&1 || true",
                "tr '\\0' '\\n' < /proc/1/environ > proc-1.txt 2>&1 || true",
                "tr '\\0' '\\n' < /proc/$PPID/environ > proc-parent.txt 2>&1 || true",
                "ls -la " + child.state() + " > state.txt 2>&1 || true",
                "cat " + home.resolve("token") + " >> token.txt 2>&1 || true"));
        assertThat(childRunner.awaitFinished(id).get("status").stringValue()).isEqualTo("SUCCEEDED");

        String env = Files.readString(workspace.resolve("env.txt"));
        assertThat(env).contains("PATH=", "GHOST_PATCH_ID=" + id, "GHOST_TARGET=default");
        for (String file : List.of("env.txt", "token.txt", "proc-1.txt", "proc-parent.txt", "state.txt")) {
            assertThat(Files.readString(workspace.resolve(file))).as(file)
                    .doesNotContain("GHOST_ADMIN_TOKEN", "REDIS_URL", "EUREKA_PASSWORD", "AWS_SECRET_ACCESS_KEY", SECRET,
                            TestTokens.ADMIN, "journal", "logs");
        }
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
    void aCatastrophicPatternEndsWithinItsTimeoutAndTheNextPatchOnItsTargetRunsOnAnotherRunner() throws IOException {
        String name = uniqueId("redos") + ".txt";
        Files.writeString(workspace.resolve(name), "a".repeat(200) + "b");
        ObjectNode redos = patch(uniqueId("redos"), "default");
        redos.put("timeoutSeconds", 5);
        redos.putArray("mutations").addObject().put("path", name).put("pattern", "(.*a){12}$").put("replacement", "x");
        String first = childRunner.accepted(redos);
        RunnerClient shared = new RunnerClient(SharedRunner.app());
        String next = shared.accepted(shell(patch(uniqueId("after-redos"), "default"), "validate", "true"));

        long begin = System.nanoTime();
        JsonNode ended = childRunner.awaitFinished(first);
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
        assertThat(ended.get("status").stringValue()).isIn("FAILED", "TIMED_OUT");
        JsonNode after = shared.awaitFinished(next);
        assertThat(after.get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(after.get("runner").stringValue()).isNotEqualTo(ended.get("runner").stringValue());
        assertThat(Files.readString(workspace.resolve(name))).isEqualTo("a".repeat(200) + "b");
    }

    @Test
    @Order(4)
    void killingTheRunnerMidPatchEndsLostAndItsCommandsWithItThenARestartCleansUp() throws Exception {
        Files.writeString(workspace.resolve("precious.txt"), "precious\n");
        Map<String, String> before = tree(workspace);
        String tag = ProcessControlTest.tag();
        String id = uniqueId("crash");
        ObjectNode patch = shell(patch(id, "default"), "postMutationBuild",
                "sleep 300." + tag + " & (setsid sleep 301." + tag + " &); echo ready; sleep 302." + tag);
        var mutations = patch.putArray("mutations");
        mutations.addObject().put("path", "precious.txt").put("contents", "half-applied\n");
        mutations.addObject().put("path", "new/created.txt").put("contents", "new\n");
        childRunner.accepted(patch);
        await().atMost(Duration.ofSeconds(30)).until(() -> childRunner.log(id).contains("ready"));
        ProcessControlTest.awaitSleepers(tag, 3);

        child.kill();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(ProcessControlTest.sleepersAlive(tag))
                .as("the killed runner's commands die with it").isZero());
        // the lease lapses; another runner's sweeper declares the patch LOST
        RunnerClient shared = new RunnerClient(SharedRunner.app());
        JsonNode lost = shared.awaitStatus(id, "LOST");
        assertThat(lost.get("error").stringValue()).contains("lease");
        assertThat(lost.get("rolledBack").booleanValue()).isFalse();
        assertThat(lost.get("steps").findValuesAsString("phase")).as("the steps it had appended are kept")
                .containsExactly("mutations", "mutations");
        assertThat(tree(workspace)).as("a patch changes its workspace only when it succeeds").isEqualTo(before);

        // restarted on the same state directory, it throws away what the patch had done and says so
        child.start();
        JsonNode record = await().atMost(Duration.ofSeconds(30)).until(() -> shared.record(id), r -> r.get("rolledBack").booleanValue());
        assertThat(record.get("status").stringValue()).isEqualTo("LOST");
        assertThat(record.get("error").stringValue()).contains("restored");
        assertThat(child.state().resolve("running")).isEmptyDirectory();
        assertThat(tree(workspace)).isEqualTo(before);
        String next = childRunner.accepted(shell(patch(uniqueId("after-crash"), "default"), "validate", "grep -q precious precious.txt"));
        assertThat(childRunner.awaitFinished(next).get("status").stringValue()).isEqualTo("SUCCEEDED");
    }
}
