package dev.ghost.runner;

import static dev.ghost.runner.RunnerClient.patch;
import static dev.ghost.runner.RunnerClient.shell;
import static dev.ghost.runner.RunnerClient.tree;
import static dev.ghost.runner.RunnerClient.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.ghost.common.test.RealRedisExtension;

/**
 * What a patch's commands can reach, tried as an attacker with a SUBMIT token would, through the
 * HTTP API, with real processes and real files: nothing outside its workspace, and a failed patch
 * leaves the workspace byte for byte as it was, whatever its commands did.
 */
@ExtendWith(RealRedisExtension.class)
class SandboxTest {

    static RunnerClient runner;
    static Path workspace;
    static Path outside;

    @BeforeAll
    static void start() {
        runner = new RunnerClient(SharedRunner.app());
        workspace = SharedRunner.workspace("beta");
        outside = SharedRunner.outside();
    }

    private static String output(JsonNode record) {
        StringBuilder text = new StringBuilder();
        record.get("steps").forEach(step -> text.append(step.path("outputTail").asString("")).append('\n'));
        return text.toString();
    }

    @Test
    void aFileHardLinkedToOneOutsideTheWorkspaceIsReplacedNotWrittenThrough() throws IOException {
        Path victim = Files.writeString(outside.resolve(uniqueId("victim") + ".txt"), "version = 1\n");
        String name = uniqueId("linked") + ".txt";
        Files.createLink(workspace.resolve(name), victim);

        ObjectNode patch = patch(uniqueId("hardlink"), "beta");
        patch.putArray("mutations").addObject().put("path", name).put("pattern", "version = 1").put("replacement", "version = 2");
        String id = runner.accepted(patch);

        assertThat(runner.awaitFinished(id).get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(Files.readString(workspace.resolve(name))).isEqualTo("version = 2\n");
        assertThat(Files.readString(victim)).isEqualTo("version = 1\n");
    }

    @Test
    void stepsCannotReachRedisOrWriteOutsideTheWorkspace() {
        URI redis = URI.create(RealRedisExtension.url());
        String marker = uniqueId("escape");
        String id = runner.accepted(shell(patch(uniqueId("reach"), "beta"), "validate",
                "if bash -c 'exec 3<>/dev/tcp/" + redis.getHost() + "/" + redis.getPort() + "' 2>/dev/null;"
                        + " then echo REDIS-REACHED; else echo REDIS-REFUSED; fi",
                "echo x > /tmp/" + marker + " || true",
                "echo x > ../" + marker + " || true",
                "echo x > " + outside.resolve(marker) + " || true"));

        JsonNode record = runner.awaitFinished(id);
        assertThat(record.get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(output(record)).contains("REDIS-REFUSED").doesNotContain("REDIS-REACHED");
        assertThat(Path.of("/tmp", marker)).doesNotExist();
        assertThat(workspace.resolveSibling(marker)).doesNotExist();
        assertThat(outside.resolve(marker)).doesNotExist();
    }

    @Test
    void aDaemonStartedBySuccessfulPatchEndsWithIt() throws IOException {
        // a scrubbed environment and a session of its own: no process group, no tag to find it by
        String seconds = "1000." + System.nanoTime() % 1_000_000;
        String id = runner.accepted(shell(patch(uniqueId("daemon"), "beta"), "validate",
                "env -i setsid sleep " + seconds + " > /dev/null 2>&1 < /dev/null &", "true"));

        assertThat(runner.awaitFinished(id).get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(sleepersWith(seconds)).as("processes left behind").isZero();
    }

    /** Live {@code sleep} processes anywhere on this machine whose argument contains {@code argument}. */
    static long sleepersWith(String argument) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(dir -> dir.getFileName().toString().matches("\\d+"))
                    .filter(dir -> {
                        try {
                            String[] argv = new String(Files.readAllBytes(dir.resolve("cmdline"))).split("\0");
                            return argv.length == 2 && argv[0].endsWith("sleep") && argv[1].contains(argument)
                                    && !ProcessControlTest.dead(Long.parseLong(dir.getFileName().toString()));
                        } catch (IOException e) {
                            return false;
                        }
                    }).count();
        }
    }

    @Test
    void aFailedPatchLeavesTheTreeAsItWasIncludingWhatItsCommandsWrote() throws IOException {
        Path dir = Files.createDirectories(workspace.resolve(uniqueId("tx")));
        Files.writeString(dir.resolve("tracked.txt"), "tracked\n");
        Files.createDirectories(dir.resolve("cache"));
        Files.writeString(dir.resolve("cache/old"), "old cache\n");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("tracked.txt"));
        Files.createSymbolicLink(dir.resolve("by-command"), Path.of("tracked.txt"));
        Map<String, String> before = tree(workspace);
        String rel = workspace.relativize(dir).toString();

        ObjectNode patch = shell(patch(uniqueId("tx"), "beta"), "postMutationBuild",
                "head -c 4096 /dev/urandom > " + rel + "/out.bin",
                "echo changed >> " + rel + "/tracked.txt",
                "rm -rf " + rel + "/cache && mkdir " + rel + "/cache && echo new > " + rel + "/cache/new",
                "rm " + rel + "/by-command",
                "chmod 600 " + rel + "/tracked.txt");
        shell(patch, "validate", "false");
        var mutations = patch.putArray("mutations");
        mutations.addObject().put("path", rel + "/written.txt").put("contents", "written\n");
        mutations.addObject().put("path", rel + "/link").put("delete", true);
        String id = runner.accepted(patch);

        JsonNode record = runner.awaitFinished(id);
        assertThat(record.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(record.get("rolledBack").booleanValue()).isTrue();
        assertThat(tree(workspace)).isEqualTo(before);
        assertThat(Files.readSymbolicLink(dir.resolve("link"))).isEqualTo(Path.of("tracked.txt"));
        assertThat(Files.readSymbolicLink(dir.resolve("by-command"))).isEqualTo(Path.of("tracked.txt"));
    }

    @Test
    void aDirectorySwappedForALinkByAStepIsNeverWrittenThroughNorRestoredThrough() throws IOException {
        Path dir = Files.createDirectories(workspace.resolve(uniqueId("swap")));
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/f.txt"), "original\n");
        Path precious = Files.createDirectories(outside.resolve(uniqueId("precious")));
        Files.writeString(precious.resolve("f.txt"), "precious\n");
        Map<String, String> before = tree(workspace);
        String rel = workspace.relativize(dir).toString();

        // the mutation applies, then a step swaps its directory for a link out, then the patch fails
        ObjectNode patch = shell(patch(uniqueId("swap-out"), "beta"), "postMutationBuild",
                "rm -rf " + rel + "/sub && ln -s " + precious + " " + rel + "/sub", "false");
        patch.putArray("mutations").addObject().put("path", rel + "/sub/f.txt").put("contents", "patched\n");
        JsonNode record = runner.awaitFinished(runner.accepted(patch));
        assertThat(record.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(Files.readString(precious.resolve("f.txt"))).isEqualTo("precious\n");
        assertThat(tree(workspace)).isEqualTo(before);

        // a link to a directory inside, swapped in before the mutations, is not written through either
        ObjectNode inside = shell(patch(uniqueId("swap-in"), "beta"), "preCommit",
                "mv " + rel + "/sub " + rel + "/real && ln -s real " + rel + "/sub");
        inside.putArray("mutations").addObject().put("path", rel + "/sub/f.txt").put("contents", "patched\n");
        JsonNode refused = runner.awaitFinished(runner.accepted(inside));
        assertThat(refused.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(refused.get("error").stringValue()).contains("symlink");
        assertThat(tree(workspace)).isEqualTo(before);
    }

    @Test
    void aCatastrophicPatternEndsQuickly() throws IOException {
        String name = uniqueId("redos") + ".txt";
        Files.writeString(workspace.resolve(name), "a".repeat(200) + "b");
        ObjectNode patch = patch(uniqueId("redos"), "beta");
        patch.put("timeoutSeconds", 5);
        patch.putArray("mutations").addObject().put("path", name).put("pattern", "(.*a){12}$").put("replacement", "x");
        String id = runner.accepted(patch);

        long begin = System.nanoTime();
        JsonNode record = runner.awaitFinished(id);
        assertThat((System.nanoTime() - begin) / 1_000_000_000).as("seconds to finish").isLessThan(10);
        assertThat(record.get("status").stringValue()).isIn("FAILED", "TIMED_OUT");
        assertThat(Files.readString(workspace.resolve(name))).isEqualTo("a".repeat(200) + "b");
    }

    @Test
    void noAnswerNamesTheWorkspacesOrTheStateDirectorysPathOnTheHost() throws IOException {
        Files.writeString(workspace.resolve("plain-file.txt"), "a file, not a directory\n");
        String host = workspace.toRealPath().toString();
        String state = SharedRunner.workspace("default").getParent().getParent().resolve("state").toRealPath().toString();
        java.util.List<String> answers = new java.util.ArrayList<>();

        ObjectNode looking = shell(patch(uniqueId("where"), "beta"), "validate",
                "pwd", "echo $PWD $HOME $TMPDIR", "cat /proc/self/mountinfo", "ls -la .. /", "false");
        String id = runner.accepted(looking);
        runner.awaitFinished(id);
        answers.add(runner.record(id).toString());
        answers.add(runner.summary(id));
        answers.add(runner.log(id));

        ObjectNode underAFile = patch(uniqueId("under-file"), "beta");
        underAFile.putArray("mutations").addObject().put("path", "plain-file.txt/inner.txt").put("contents", "x");
        answers.add(runner.submit(underAFile).body());

        ObjectNode badDiff = patch(uniqueId("bad-diff"), "beta");
        badDiff.putArray("mutations").addObject().put("diff", "--- a/plain-file.txt\n+++ b/plain-file.txt\n@@ -1 +1 @@\n-not there\n+x\n");
        String diffId = runner.accepted(badDiff);
        runner.awaitFinished(diffId);
        answers.add(runner.record(diffId).toString());
        answers.add(runner.log(diffId));

        for (String answer : answers) {
            assertThat(answer).doesNotContain(host, state, outside.toString());
        }
    }
}
