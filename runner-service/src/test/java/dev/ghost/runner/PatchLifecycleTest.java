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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.ghost.common.redis.RedisKeys;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.runner.patch.PatchRecord;
import dev.ghost.runner.patch.PatchService;
import dev.ghost.runner.patch.PatchStatus;
import dev.ghost.runner.patch.PatchStore;
import dev.ghost.runner.redis.RunnerKeys;

/** The happy paths and the failures that must leave the workspace exactly as it was, through the real HTTP API. */
@ExtendWith(RealRedisExtension.class)
class PatchLifecycleTest {

    static RunnerClient runner;
    static Path workspace;

    @BeforeAll
    static void start() {
        runner = new RunnerClient(SharedRunner.app());
        workspace = SharedRunner.workspace("default");
    }

    @Test
    void writeFileCreatesDirectoriesAndReportsEverything() throws IOException {
        String dir = uniqueId("w");
        String id = uniqueId("write");
        ObjectNode patch = patch(id, "default");
        patch.put("description", "write one file");
        patch.put("somethingElse", 1);
        patch.putArray("mutations").addObject().put("path", dir + "/deep/new.txt").put("contents", "one\ntwo\n");
        shell(patch, "validate", "cat " + dir + "/deep/new.txt; echo GHOST_PATCH_ID=$GHOST_PATCH_ID GHOST_TARGET=$GHOST_TARGET");

        HttpResponse<String> response = runner.submit(patch);
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Location")).contains("/patches/" + id);
        JsonNode accepted = TestHttp.json(response);
        assertThat(accepted.get("status").stringValue()).isEqualTo("QUEUED");
        assertThat(accepted.get("hash").stringValue()).hasSize(64);
        assertThat(accepted.get("warnings").toString()).contains("somethingElse");
        assertThat(response.headers().firstValue("X-Auth-Token")).as("bearer calls open no session").isEmpty();

        JsonNode record = runner.awaitFinished(id);
        assertThat(record.get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(Files.readString(workspace.resolve(dir + "/deep/new.txt"))).isEqualTo("one\ntwo\n");
        assertThat(record.get("runner").stringValue()).endsWith(":" + SharedRunner.app().port());
        assertThat(record.get("startedAt")).isNotNull();
        assertThat(record.get("finishedAt")).isNotNull();
        JsonNode validate = record.get("steps").get(1);
        assertThat(validate.get("phase").stringValue()).isEqualTo("validate");
        assertThat(validate.get("exitCode").intValue()).isZero();
        assertThat(validate.get("outputTail").stringValue()).contains("one\ntwo\n", "GHOST_PATCH_ID=" + id, "GHOST_TARGET=default");
        assertThat(record.get("filesChanged").get(0).get("change").stringValue()).isEqualTo("created");
        assertThat(record.get("filesChanged").get(0).get("added").intValue()).isEqualTo(2);

        String summary = runner.summary(id);
        assertThat(summary).contains("SUCCEEDED", "| `" + dir + "/deep/new.txt` | created | 2 | 0 |", "validate #0", "Exit 0");
        assertThat(runner.log(id)).contains("~ write " + dir + "/deep/new.txt", "GHOST_TARGET=default", "# SUCCEEDED");
    }

    /**
     * A step's write to Redis is not awaited before the next step, so the verdict it brings back is
     * learnt late; it must still be learnt before the commit. The verdict is forged while the lease
     * still stands, so that the lease keeper (which would stop the patch on its own) cannot learn it first.
     */
    @Test
    void aPatchWhoseStepWriteIsRefusedDoesNotCommit() throws IOException {
        String file = uniqueId("lost") + ".txt";
        String id = uniqueId("refused");
        ObjectNode patch = shell(patch(id, "default"), "validate", "sleep 2");
        patch.putArray("mutations").addObject().put("path", file).put("contents", "written\n");
        runner.accepted(patch);
        StringRedisTemplate redis = SharedRunner.app().bean(StringRedisTemplate.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.opsForList().size(RunnerKeys.patchSteps(id)) == 1);

        PatchStore store = SharedRunner.app().bean(PatchStore.class);
        PatchStore.Stored stored = store.findStored(id).orElseThrow();
        PatchRecord lost = stored.record().copy();
        lost.setStatus(PatchStatus.LOST);
        assertThat(store.replace(stored, lost, false)).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> !SharedRunner.app().bean(PatchService.class).activeHere(id));
        assertThat(workspace.resolve(file)).as("nothing committed behind the verdict").doesNotExist();
        assertThat(runner.log(id)).contains("# CANCELLED: this patch was declared LOST", "# rolled back");
        assertThat(runner.status(id)).as("the verdict stands").isEqualTo("LOST");
    }

    @Test
    void regexReplaceDeleteAndDiffApply() throws IOException {
        String dir = uniqueId("m");
        Files.createDirectories(workspace.resolve(dir));
        Files.writeString(workspace.resolve(dir + "/App.tsx"), "import x;\n<OldBar />\n<OldBar/>\nend\n");
        Files.writeString(workspace.resolve(dir + "/Old.tsx"), "gone\n");
        Files.writeString(workspace.resolve(dir + "/README.md"), "title\nold\nfooter\n");
        Path script = workspace.resolve(dir + "/run.sh");
        Files.writeString(script, "echo hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));

        String id = uniqueId("kinds");
        ObjectNode patch = patch(id, "default");
        var mutations = patch.putArray("mutations");
        mutations.addObject().put("path", dir + "/App.tsx").put("pattern", "<OldBar ?/>").put("replacement", "<TopBar />");
        mutations.addObject().put("path", dir + "/Old.tsx").put("delete", true);
        mutations.addObject().put("diff", "--- a/" + dir + "/README.md\n+++ b/" + dir + "/README.md\n"
                + "@@ -1,3 +1,3 @@\n title\n-old\n+new\n footer\n");
        mutations.addObject().put("path", dir + "/run.sh").put("contents", "echo bye\n");
        runner.accepted(patch);

        JsonNode record = runner.awaitFinished(id);
        assertThat(record.get("status").stringValue()).as(record.toString()).isEqualTo("SUCCEEDED");
        assertThat(Files.readString(workspace.resolve(dir + "/App.tsx"))).isEqualTo("import x;\n<TopBar />\n<TopBar />\nend\n");
        assertThat(workspace.resolve(dir + "/Old.tsx")).doesNotExist();
        assertThat(Files.readString(workspace.resolve(dir + "/README.md"))).isEqualTo("title\nnew\nfooter\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).as("a rewrite keeps the mode").isEqualTo("rwxr-x---");
        assertThat(runner.summary(id)).contains("| `" + dir + "/App.tsx` | modified | 2 | 2 |", "| `" + dir + "/Old.tsx` | deleted | 0 | 1 |",
                "| `" + dir + "/README.md` | modified | 1 | 1 |");
    }

    @Test
    void diffCreatingAndDeletingFilesApplies() throws IOException {
        String dir = uniqueId("d");
        Files.createDirectories(workspace.resolve(dir));
        Files.writeString(workspace.resolve(dir + "/bye.txt"), "a\nb\n");
        String id = uniqueId("diff-files");
        ObjectNode patch = patch(id, "default");
        patch.putArray("mutations").addObject().put("diff",
                "--- /dev/null\n+++ b/" + dir + "/hello.txt\n@@ -0,0 +1,2 @@\n+hello\n+world\n"
                        + "--- a/" + dir + "/bye.txt\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n");
        runner.accepted(patch);
        assertThat(runner.awaitFinished(id).get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(Files.readString(workspace.resolve(dir + "/hello.txt"))).isEqualTo("hello\nworld\n");
        assertThat(workspace.resolve(dir + "/bye.txt")).doesNotExist();
    }

    @Test
    void samePatchAgainIsADedupHitAndOtherContentUnderTheSameIdIsAConflict() {
        String id = uniqueId("dedup");
        ObjectNode patch = shell(patch(id, "default"), "validate", "true");
        runner.accepted(patch);
        runner.awaitFinished(id);

        // same content, other key order and whitespace: the canonical hash is the same
        String reordered = "{ \"validate\": {\"shell\": [\"true\"]},\n \"target\": \"default\", \"id\": \"" + id + "\" }";
        HttpResponse<String> again = TestHttp.post(SharedRunner.app().url("/patches"), TestTokens.SUBMIT, reordered);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Ghost-Dedup")).contains("hit");
        assertThat(TestHttp.json(again).get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(runner.record(id).get("steps")).hasSize(1); // nothing ran again

        HttpResponse<String> conflict = runner.submit(shell(patch(id, "default"), "validate", "false"));
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(TestHttp.json(conflict).get("type").stringValue()).isEqualTo("urn:ghost:problem:patch-id-conflict");
        assertThat(runner.status(id)).isEqualTo("SUCCEEDED");
    }

    @Test
    void validateFailureLeavesTheWorkspaceByteIdentical() throws IOException {
        String dir = uniqueId("v");
        Files.createDirectories(workspace.resolve(dir));
        Files.writeString(workspace.resolve(dir + "/keep.txt"), "original\n");
        Files.writeString(workspace.resolve(dir + "/doomed.txt"), "still here\n");
        Files.setPosixFilePermissions(workspace.resolve(dir + "/doomed.txt"), PosixFilePermissions.fromString("rw-------"));
        Map<String, String> before = tree(workspace);

        String id = uniqueId("validate-fails");
        ObjectNode patch = patch(id, "default");
        var mutations = patch.putArray("mutations");
        mutations.addObject().put("path", dir + "/keep.txt").put("contents", "changed\n");
        mutations.addObject().put("path", dir + "/doomed.txt").put("delete", true);
        mutations.addObject().put("path", dir + "/brand/new/file.txt").put("contents", "new\n");
        shell(patch, "validate", "test -f " + dir + "/brand/new/file.txt && echo 'tests failed' && exit 7");
        runner.accepted(patch);

        JsonNode record = runner.awaitFinished(id);
        assertThat(record.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(record.get("rolledBack").booleanValue()).isTrue();
        assertThat(record.get("error").stringValue()).contains("validate command #0 exited with 7");
        assertThat(tree(workspace)).isEqualTo(before);
        String summary = runner.summary(id);
        assertThat(summary).contains("FAILED", "rolled back: yes", "Exit 7", "tests failed");
    }

    @Test
    void regexThatMatchesNothingFailsAndChangesNothing() throws IOException {
        String dir = uniqueId("r");
        Files.createDirectories(workspace.resolve(dir));
        Files.writeString(workspace.resolve(dir + "/a.txt"), "alpha\n");
        Map<String, String> before = tree(workspace);
        String id = uniqueId("regex-nothing");
        ObjectNode patch = patch(id, "default");
        var mutations = patch.putArray("mutations");
        mutations.addObject().put("path", dir + "/a.txt").put("contents", "written first\n");
        mutations.addObject().put("path", dir + "/a.txt").put("pattern", "no such text").put("replacement", "x");
        runner.accepted(patch);
        JsonNode record = runner.awaitFinished(id);
        assertThat(record.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(record.get("error").stringValue()).contains("matches nothing");
        assertThat(record.get("rolledBack").booleanValue()).isTrue();
        assertThat(tree(workspace)).isEqualTo(before);
    }

    @Test
    void diffThatDoesNotApplyFailsCleanly() throws IOException {
        String dir = uniqueId("n");
        Files.createDirectories(workspace.resolve(dir));
        Files.writeString(workspace.resolve(dir + "/README.md"), "title\nsomething else\n");
        Map<String, String> before = tree(workspace);
        String id = uniqueId("diff-mismatch");
        ObjectNode patch = patch(id, "default");
        patch.putArray("mutations").addObject().put("diff",
                "--- a/" + dir + "/README.md\n+++ b/" + dir + "/README.md\n@@ -1,2 +1,2 @@\n title\n-old\n+new\n");
        runner.accepted(patch);
        JsonNode record = runner.awaitFinished(id);
        assertThat(record.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(record.get("error").stringValue()).contains("diff does not apply to '" + dir + "/README.md'");
        assertThat(tree(workspace)).isEqualTo(before);
    }

    @Test
    void preCommitFailureStopsBeforeAnyMutation() throws IOException {
        String file = uniqueId("pc") + ".txt";
        String id = uniqueId("precommit");
        ObjectNode patch = shell(patch(id, "default"), "preCommit", "exit 1");
        patch.putArray("mutations").addObject().put("path", file).put("contents", "x");
        runner.accepted(patch);
        JsonNode record = runner.awaitFinished(id);
        assertThat(record.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(record.get("rolledBack").booleanValue()).isFalse();
        assertThat(record.get("steps")).hasSize(1);
        assertThat(workspace.resolve(file)).doesNotExist();
    }

    @Test
    void rollbackOnFailureFalseKeepsTheChanges() throws IOException {
        String file = uniqueId("keep") + ".txt";
        String id = uniqueId("no-rollback");
        ObjectNode patch = shell(patch(id, "default"), "validate", "false");
        patch.put("rollbackOnFailure", false);
        patch.putArray("mutations").addObject().put("path", file).put("contents", "kept\n");
        runner.accepted(patch);
        JsonNode record = runner.awaitFinished(id);
        assertThat(record.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(record.get("rolledBack").booleanValue()).isFalse();
        assertThat(Files.readString(workspace.resolve(file))).isEqualTo("kept\n");
    }

    @Test
    void longOutputIsCappedWithAMarkerAndTheStepKeepsItsTail() {
        String id = uniqueId("loud");
        // 200,000 numbered lines, ~1.3 MB, against a 64 KB limit
        runner.accepted(shell(patch(id, "default"), "validate", "seq 1 200000"));
        JsonNode record = runner.awaitFinished(id);
        assertThat(record.get("status").stringValue()).isEqualTo("SUCCEEDED");
        JsonNode step = record.get("steps").get(0);
        assertThat(step.get("outputTail").stringValue()).endsWith("199999\n200000\n").hasSizeLessThanOrEqualTo(1024);
        assertThat(step.get("outputBytes").longValue()).isGreaterThan(1_000_000);
        String log = runner.log(id);
        assertThat(log).contains("\n1\n2\n3\n", "bytes of output cut here", "200000\n");
        assertThat(log.length()).isLessThan(70_000);
    }

    @Test
    void listShowsRecentRecordsNewestFirstAndFiltersByStatus() {
        String failing = uniqueId("list-fail");
        String passing = uniqueId("list-ok");
        runner.accepted(shell(patch(failing, "alpha"), "validate", "false"));
        runner.awaitFinished(failing);
        runner.accepted(shell(patch(passing, "alpha"), "validate", "true"));
        runner.awaitFinished(passing);

        JsonNode recent = TestHttp.json(TestHttp.get(SharedRunner.app().url("/patches?limit=2"), TestTokens.READ));
        assertThat(recent).hasSize(2);
        assertThat(recent.get(0).get("id").stringValue()).isEqualTo(passing);
        assertThat(recent.get(1).get("id").stringValue()).isEqualTo(failing);
        JsonNode failed = TestHttp.json(TestHttp.get(SharedRunner.app().url("/patches?status=FAILED&limit=500"), TestTokens.READ));
        assertThat(failed.findValuesAsString("status")).containsOnly("FAILED");
        assertThat(failed.findValuesAsString("id")).contains(failing).doesNotContain(passing);
        HttpResponse<String> bad = TestHttp.get(SharedRunner.app().url("/patches?status=DONE"), TestTokens.READ);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("SUCCEEDED");
    }

    @Test
    void lifecycleAndStepsBecomeEventsAndMetrics() {
        String id = uniqueId("events");
        runner.accepted(shell(patch(id, "beta"), "validate", "echo checked"));
        runner.awaitFinished(id);
        StringRedisTemplate redis = SharedRunner.app().bean(StringRedisTemplate.class);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<MapRecord<String, Object, Object>> events = redis.opsForStream().reverseRange(RedisKeys.EVENTS, Range.unbounded(),
                    org.springframework.data.redis.connection.Limit.limit().count(200));
            List<String> mine = events.stream().map(e -> e.getValue().get("event").toString())
                    .filter(e -> e.contains("\"patchId\":\"" + id + "\"")).toList();
            assertThat(mine).anySatisfy(e -> assertThat(e).contains("\"type\":\"patch.queued\""))
                    .anySatisfy(e -> assertThat(e).contains("\"type\":\"patch.started\""))
                    .anySatisfy(e -> assertThat(e).contains("\"type\":\"patch.step\"", "\"exitCode\":0", "\"outputTail\":\"checked\\n\"",
                            "\"phase\":\"validate\"", "\"durationMs\""))
                    .anySatisfy(e -> assertThat(e).contains("\"type\":\"patch.succeeded\"", "\"runner\":\"", "\"status\":\"SUCCEEDED\""));
        });
        HttpResponse<String> metrics = TestHttp.get(SharedRunner.app().url("/actuator/prometheus"), TestTokens.READ);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("ghost_runner_patches_total{outcome=\"succeeded\"}", "ghost_runner_queue_depth",
                "ghost_runner_running", "ghost_runner_step_duration_seconds_bucket", "ghost_runner_dedup_hits_total");
    }
}
