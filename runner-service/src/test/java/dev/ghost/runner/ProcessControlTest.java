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

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.ghost.common.test.RealRedisExtension;

/** Timeouts and cancels kill everything a command started, however it detached, and roll back. */
@ExtendWith(RealRedisExtension.class)
class ProcessControlTest {

    static RunnerClient runner;
    static Path workspace;

    @BeforeAll
    static void start() {
        runner = new RunnerClient(SharedRunner.app());
        workspace = SharedRunner.workspace("gamma");
    }

    /**
     * A command that starts sleepers every way a process can detach: in the background, disowned,
     * through a double fork, and in a session of its own (left by a subshell that then exits), and
     * writes their PIDs to {@code pids}. The shell itself then waits forever.
     */
    static String detachingSleepers(Path pids) {
        String file = pids.toString();
        return "echo $$ >> " + file + "; "
                + "sleep 300 & echo $! >> " + file + "; "
                + "sleep 301 & echo $! >> " + file + "; disown; "
                + "(sleep 302 & echo $! >> " + file + "); "
                + "(setsid sleep 303 & echo $! >> " + file + "); "
                + "echo ready >> " + file + ".ready; sleep 304";
    }

    static List<Long> pids(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::trim).filter(line -> !line.isEmpty()).map(Long::parseLong).toList();
    }

    /** Gone, or a zombie waiting for init to reap it: either way it runs no more. */
    static boolean dead(long pid) {
        Path stat = Path.of("/proc/" + pid + "/stat");
        try {
            String text = Files.readString(stat);
            return text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void timeoutKillsTheWholeProcessTreeIncludingDetachedGrandchildrenAndRollsBack() throws IOException {
        Path pids = Files.createTempFile("ghost-pids", ".txt");
        String file = uniqueId("t") + ".txt";
        Map<String, String> before = tree(workspace);
        String id = uniqueId("timeout");
        ObjectNode patch = shell(patch(id, "gamma"), "validate", detachingSleepers(pids));
        patch.put("timeoutSeconds", 2);
        patch.putArray("mutations").addObject().put("path", file).put("contents", "temporary\n");
        runner.accepted(patch);

        JsonNode record = runner.awaitFinished(id);
        assertThat(record.get("status").stringValue()).isEqualTo("TIMED_OUT");
        assertThat(record.get("rolledBack").booleanValue()).isTrue();
        assertThat(record.get("error").stringValue()).contains("timeoutSeconds (2)");
        JsonNode step = record.get("steps").get(1);
        assertThat(step.get("outcome").stringValue()).isEqualTo("timed_out");
        assertThat(step.has("exitCode")).isFalse();
        assertThat(tree(workspace)).isEqualTo(before);

        List<Long> started = pids(pids);
        assertThat(started).hasSize(5);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(started).allMatch(ProcessControlTest::dead));
    }

    @Test
    void processesLeftBehindByACommandThatExitedAreKilledToo() throws IOException {
        Path pids = Files.createTempFile("ghost-pids", ".txt");
        String id = uniqueId("leftovers");
        runner.accepted(shell(patch(id, "gamma"), "validate",
                "sleep 310 & echo $! >> " + pids + "; (sleep 311 & echo $! >> " + pids + "); exit 0"));
        assertThat(runner.awaitFinished(id).get("status").stringValue()).isEqualTo("SUCCEEDED");
        List<Long> started = pids(pids);
        assertThat(started).hasSize(2);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(started).allMatch(ProcessControlTest::dead));
    }

    @Test
    void cancelWhileRunningKillsTheCommandAndRollsBack() throws IOException {
        Path pids = Files.createTempFile("ghost-pids", ".txt");
        String file = uniqueId("c") + ".txt";
        Files.writeString(workspace.resolve(file), "before\n");
        Map<String, String> before = tree(workspace);
        String id = uniqueId("cancel");
        ObjectNode patch = shell(patch(id, "gamma"), "postMutationBuild", detachingSleepers(pids));
        patch.putArray("mutations").addObject().put("path", file).put("contents", "during\n");
        runner.accepted(patch);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(Path.of(pids + ".ready")));
        assertThat(Files.readString(workspace.resolve(file))).isEqualTo("during\n");
        assertThat(runner.log(id)).as("the log is readable while the patch runs")
                .contains("~ write " + file, "# postMutationBuild #0").doesNotContain("# CANCELLED");

        assertThat(runner.cancel(id).statusCode()).isEqualTo(202);
        JsonNode record = runner.awaitFinished(id);
        assertThat(record.get("status").stringValue()).isEqualTo("CANCELLED");
        assertThat(record.get("rolledBack").booleanValue()).isTrue();
        assertThat(tree(workspace)).isEqualTo(before);
        List<Long> started = pids(pids);
        assertThat(started).hasSize(5);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(started).allMatch(ProcessControlTest::dead));
        assertThat(runner.summary(id)).contains("CANCELLED", "cancelled");
    }

    @Test
    void cancelWhileQueuedNeverRunsIt() throws IOException {
        Path marker = Files.createTempFile("ghost-ran", ".txt");
        Files.delete(marker);
        String blocker = uniqueId("blocker");
        runner.accepted(shell(patch(blocker, "gamma"), "validate", "sleep 30"));
        runner.awaitStatus(blocker, "RUNNING");
        String queued = uniqueId("queued");
        runner.accepted(shell(patch(queued, "gamma"), "validate", "touch " + marker));
        assertThat(runner.status(queued)).isEqualTo("QUEUED");

        assertThat(runner.cancel(queued).statusCode()).isEqualTo(202);
        assertThat(runner.awaitFinished(queued).get("status").stringValue()).isEqualTo("CANCELLED");
        runner.cancel(blocker);
        assertThat(runner.awaitFinished(blocker).get("status").stringValue()).isEqualTo("CANCELLED");
        assertThat(marker).doesNotExist();
        assertThat(runner.record(queued).get("steps")).isEmpty();
    }
}
