package dev.ghost.runner;

import static dev.ghost.runner.RunnerClient.patch;
import static dev.ghost.runner.RunnerClient.shell;
import static dev.ghost.runner.RunnerClient.tree;
import static dev.ghost.runner.RunnerClient.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;

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
     * A command that starts sleepers every way a process can detach: in the background, through a
     * double fork, in a session of its own, and in a session of its own with a scrubbed environment.
     * Each sleeper's argument ends in {@code tag}, so they can be found in /proc from outside. It
     * prints "ready" once they all run, then waits forever.
     */
    static String detachingSleepers(String tag) {
        return "sleep 300." + tag + " & "
                + "(sleep 302." + tag + " &); "
                + "(setsid sleep 303." + tag + " &); "
                + "(env -i setsid sleep 305." + tag + " > /dev/null 2>&1 &); "
                + "echo ready; sleep 304." + tag;
    }

    /** A fresh numeric tag for {@link #detachingSleepers}. */
    static String tag() {
        return String.valueOf(100_000 + System.nanoTime() % 900_000);
    }

    static long sleepersAlive(String tag) throws IOException {
        return SandboxTest.sleepersWith("." + tag);
    }

    /** Background processes are forked before "ready" is printed but may exec their sleep a moment later. */
    static void awaitSleepers(String tag, long count) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sleepersAlive(tag)).isEqualTo(count));
    }

    static void awaitReady(String id) {
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.log(id).contains("ready"));
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
        String tag = tag();
        String file = uniqueId("t") + ".txt";
        Map<String, String> before = tree(workspace);
        String id = uniqueId("timeout");
        ObjectNode patch = shell(patch(id, "gamma"), "validate", detachingSleepers(tag));
        patch.put("timeoutSeconds", 3);
        patch.putArray("mutations").addObject().put("path", file).put("contents", "temporary\n");
        runner.accepted(patch);
        awaitReady(id);
        awaitSleepers(tag, 5);

        JsonNode record = runner.awaitFinished(id);
        assertThat(record.get("status").stringValue()).isEqualTo("TIMED_OUT");
        assertThat(record.get("rolledBack").booleanValue()).isTrue();
        assertThat(record.get("error").stringValue()).contains("timeoutSeconds (3)");
        JsonNode step = record.get("steps").get(1);
        assertThat(step.get("outcome").stringValue()).isEqualTo("timed_out");
        assertThat(step.has("exitCode")).isFalse();
        assertThat(tree(workspace)).isEqualTo(before);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(sleepersAlive(tag)).isZero());
    }

    @Test
    void processesLeftBehindByACommandThatExitedAreKilledToo() throws IOException {
        String tag = tag();
        String id = uniqueId("leftovers");
        runner.accepted(shell(patch(id, "gamma"), "validate",
                "sleep 310." + tag + " & (sleep 311." + tag + " &); (setsid sleep 312." + tag + " &); exit 0"));
        assertThat(runner.awaitFinished(id).get("status").stringValue()).isEqualTo("SUCCEEDED");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(sleepersAlive(tag)).isZero());
    }

    @Test
    void cancelWhileRunningKillsTheCommandAndRollsBack() throws IOException {
        String tag = tag();
        String file = uniqueId("c") + ".txt";
        Files.writeString(workspace.resolve(file), "before\n");
        Map<String, String> before = tree(workspace);
        String id = uniqueId("cancel");
        ObjectNode patch = shell(patch(id, "gamma"), "postMutationBuild", "grep -q during " + file + " && " + detachingSleepers(tag));
        patch.putArray("mutations").addObject().put("path", file).put("contents", "during\n");
        runner.accepted(patch);
        awaitReady(id);
        assertThat(Files.readString(workspace.resolve(file))).as("the workspace changes only when the patch succeeds").isEqualTo("before\n");
        assertThat(runner.log(id)).as("the log is readable while the patch runs")
                .contains("~ write " + file, "# postMutationBuild #0").doesNotContain("# CANCELLED");
        awaitSleepers(tag, 5);

        assertThat(runner.cancel(id).statusCode()).isEqualTo(202);
        JsonNode record = runner.awaitFinished(id);
        assertThat(record.get("status").stringValue()).isEqualTo("CANCELLED");
        assertThat(record.get("rolledBack").booleanValue()).isTrue();
        assertThat(tree(workspace)).isEqualTo(before);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(sleepersAlive(tag)).isZero());
        assertThat(runner.summary(id)).contains("CANCELLED", "cancelled");
    }

    @Test
    void cancelWhileQueuedNeverRunsIt() {
        String marker = uniqueId("ran") + ".txt";
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
        assertThat(workspace.resolve(marker)).doesNotExist();
        assertThat(runner.record(queued).get("steps")).isEmpty();
    }

    @Test
    void aSubmitterMayCancelOnlyItsOwnPatchesAndAnAdminAnyPatch() {
        String id = uniqueId("owned");
        HttpResponse<String> submitted = TestHttp.post(SharedRunner.app().url("/patches"), TestTokens.ADMIN,
                shell(patch(id, "gamma"), "validate", "sleep 30").toString());
        assertThat(submitted.statusCode()).isEqualTo(202);
        runner.awaitStatus(id, "RUNNING");

        HttpResponse<String> refused = runner.cancel(id);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(runner.status(id)).isEqualTo("RUNNING");

        assertThat(TestHttp.post(SharedRunner.app().url("/patches/" + id + "/cancel"), TestTokens.ADMIN, "").statusCode()).isEqualTo(202);
        assertThat(runner.awaitFinished(id).get("status").stringValue()).isEqualTo("CANCELLED");
    }
}
