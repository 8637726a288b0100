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
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import dev.ghost.common.test.RealRedisExtension.EmbeddedRedis;

/**
 * A runner killed with SIGKILL mid-patch, then Redis flushed (so no lock, no record and no dirty
 * marker survive), then the runner restarted: before it runs the next patch on that workspace, the
 * workspace is exactly what it was before the killed patch, whether the kill came while a command
 * ran or while the patch's changes were being moved into the workspace. The runner has a Redis of
 * its own here, so flushing it disturbs no other test.
 */
class CrashRecoveryTest {

    static EmbeddedRedis redis;
    static Path home;
    static Path workspace;
    static ChildRunner child;

    @BeforeAll
    static void start() throws IOException {
        redis = EmbeddedRedis.start();
        home = Files.createTempDirectory("ghost-runner-recovery");
        workspace = Files.createDirectories(home.resolve("workspaces/default"));
        Files.writeString(workspace.resolve("tracked.txt"), "original\n");
        Files.createDirectories(workspace.resolve("many"));
        Files.writeString(workspace.resolve("many/existing.txt"), "existing\n");
        child = new ChildRunner(home, workspace, redis.url(), Map.of()).start();
    }

    @AfterAll
    static void stop() {
        if (child != null) {
            child.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    private static void flushRedis() {
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().flushall();
        } finally {
            client.shutdown();
        }
    }

    private static void assertNextPatchSeesTheWorkspaceAsBefore(Map<String, String> before) {
        RunnerClient runner = child.client();
        String next = runner.accepted(shell(patch(uniqueId("next"), "default"), "validate",
                "grep -qx original tracked.txt", "test ! -e out.bin", "test \"$(ls many | wc -l)\" = 1"));
        assertThat(runner.awaitFinished(next).get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(tree(workspace)).isEqualTo(before);
    }

    @Test
    void killedWhileACommandRanThenRedisFlushed() throws Exception {
        Map<String, String> before = tree(workspace);
        String id = uniqueId("killed-running");
        ObjectNode patch = shell(patch(id, "default"), "postMutationBuild",
                "head -c 1000 /dev/urandom > out.bin", "echo changed >> tracked.txt", "touch many/new.txt", "echo ready; sleep 300");
        patch.putArray("mutations").addObject().put("path", "tracked.txt").put("contents", "mutated\n");
        RunnerClient runner = child.client();
        runner.accepted(patch);
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.log(id).contains("ready"));

        child.kill();
        flushRedis();
        child.start();

        assertNextPatchSeesTheWorkspaceAsBefore(before);
        assertThat(child.state().resolve("running")).isEmptyDirectory();
    }

    @Test
    void killedWhileItsChangesWereMovedIntoTheWorkspaceThenRedisFlushed() throws Exception {
        Map<String, String> before = tree(workspace);
        String id = uniqueId("killed-committing");
        // thousands of new files in a directory the workspace already has: one rename each, so the move takes a while
        ObjectNode patch = shell(patch(id, "default"), "postMutationBuild",
                "cd many && seq 1 20000 | sed 's/^/f/' | xargs touch", "echo changed >> tracked.txt");
        RunnerClient runner = child.client();
        runner.accepted(patch);
        Path journal = child.state().resolve("running/p-" + id + "/journal.json");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1)).until(() -> committing(journal));

        child.kill();
        flushRedis();
        child.start();

        assertNextPatchSeesTheWorkspaceAsBefore(before);
        assertThat(child.state().resolve("running")).isEmptyDirectory();
    }

    private static boolean committing(Path journal) {
        try {
            return Files.readString(journal).contains("COMMITTING");
        } catch (IOException e) {
            return false;
        }
    }
}
