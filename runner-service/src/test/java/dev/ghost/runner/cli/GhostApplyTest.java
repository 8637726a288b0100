package dev.ghost.runner.cli;

import static dev.ghost.runner.RunnerClient.patch;
import static dev.ghost.runner.RunnerClient.shell;
import static dev.ghost.runner.RunnerClient.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.node.ObjectNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestTokens;
import dev.ghost.runner.SharedRunner;

/** The command-line client against a real runner: follows logs, prints summaries, exits non-zero on any failure. */
@ExtendWith(RealRedisExtension.class)
class GhostApplyTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int apply(Map<String, String> env, String... args) {
        return new GhostApply(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args, env);
    }

    @Test
    void appliesADirectoryFollowingLogsAndFailsWhenOnePatchFails() throws IOException {
        Path dir = Files.createTempDirectory("ghost-apply");
        String file = uniqueId("cli") + ".txt";
        String good = uniqueId("cli-good");
        ObjectNode patch = shell(patch(good, "alpha"), "validate", "echo checking; cat " + file);
        patch.putArray("mutations").addObject().put("path", file).put("contents", "from the cli\n");
        Files.writeString(dir.resolve("1-good.json"), patch.toString());
        String bad = uniqueId("cli-bad");
        Files.writeString(dir.resolve("2-bad.json"), shell(patch(bad, "alpha"), "validate", "exit 9").toString());
        Files.writeString(dir.resolve("3-invalid.json"), "{\"id\": \"no spaces allowed\"}");
        Files.writeString(dir.resolve("notes.txt"), "not a patch");

        int status = apply(Map.of("GHOST_TOKEN", TestTokens.SUBMIT), dir.toString(), "--follow", "--url", SharedRunner.app().url(""));

        assertThat(status).isEqualTo(1);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("patch " + good + " accepted", "checking\nfrom the cli\n", "# Patch `" + good + "`: SUCCEEDED",
                "| `" + file + "` | created | 1 | 0 |", "# Patch `" + bad + "`: FAILED", "Exit 9", "1 of 3 patches succeeded.");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("3-invalid.json: refused with HTTP 400", "/id");
        assertThat(Files.readString(SharedRunner.workspace("alpha").resolve(file))).isEqualTo("from the cli\n");
    }

    @Test
    void everyPatchSucceedingExitsZeroAndReadsTheTokenFileWhenNoTokenIsSet() throws IOException {
        Path home = Files.createTempDirectory("ghost-home");
        Files.createDirectories(home.resolve(".ghost"));
        Files.writeString(home.resolve(".ghost/token"), TestTokens.SUBMIT + "\n");
        Path file = home.resolve("patch.json");
        String id = uniqueId("cli-ok");
        Files.writeString(file, shell(patch(id, "alpha"), "validate", "true").toString());

        assertThat(apply(Map.of(), file.toString(), "--home", home.toString(), "--url", SharedRunner.app().url(""))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("SUCCEEDED");
        // again: deduplicated, nothing runs, still a success
        assertThat(apply(Map.of(), file.toString(), "--home", home.toString(), "--url", SharedRunner.app().url(""))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("already known (deduplicated)");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(apply(Map.of("GHOST_TOKEN", "x"))).isEqualTo(2);
        assertThat(apply(Map.of("GHOST_TOKEN", "x"), "/no/such/file.json")).isEqualTo(2);
        assertThat(apply(Map.of("GHOST_TOKEN", "x"), "--via", "carrier-pigeon", "x.json")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: ghost apply");
    }
}
