package dev.ghost.runner;

import static dev.ghost.runner.RunnerClient.patch;
import static dev.ghost.runner.RunnerClient.shell;
import static dev.ghost.runner.RunnerClient.tree;
import static dev.ghost.runner.RunnerClient.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.runner.sandbox.SandboxUnavailableException;

/**
 * Where no sandbox is possible: a runner asked for one refuses to start; one told explicitly to
 * run without ({@code ghost.runner.sandbox=none}) says so in its health and still rolls back
 * whatever a failed patch's commands did.
 */
@ExtendWith(RealRedisExtension.class)
class SandboxModesTest {

    @Test
    void aRunnerThatCannotSandboxRefusesToStart() throws IOException {
        Path home = Files.createTempDirectory("ghost-runner-nobwrap");
        assertThatThrownBy(() -> TestApps.start(RunnerApplication.class, Map.of(
                "ghost.runner.bwrap", home.resolve("no-such-bwrap").toString(),
                "ghost.runner.workspaces.default", home.resolve("ws").toString(),
                "ghost.runner.state-dir", home.resolve("state").toString())))
                .hasRootCauseInstanceOf(SandboxUnavailableException.class)
                .rootCause().hasMessageContaining("cannot sandbox");
    }

    @Test
    void withoutASandboxAFailedPatchStillLeavesNoTraceAndHealthSaysNone() throws IOException {
        Path home = Files.createTempDirectory("ghost-runner-unsandboxed");
        Path workspace = Files.createDirectories(home.resolve("ws"));
        Files.writeString(workspace.resolve("tracked.txt"), "tracked\n");
        Files.createSymbolicLink(workspace.resolve("link"), Path.of("tracked.txt"));
        try (RunningApp app = TestApps.start(RunnerApplication.class, Map.of(
                "ghost.runner.sandbox", "none",
                "ghost.runner.workspaces.default", workspace.toString(),
                "ghost.runner.state-dir", home.resolve("state").toString()))) {
            RunnerClient runner = new RunnerClient(app);
            assertThat(TestHttp.get(app.url("/actuator/health"), TestTokens.ADMIN).body()).contains("\"sandbox\":\"none\"");

            Map<String, String> before = tree(workspace);
            ObjectNode failing = shell(patch(uniqueId("bare-fail"), "default"), "postMutationBuild",
                    "head -c 100 /dev/urandom > out.bin", "echo changed >> tracked.txt", "rm link", "mkdir -p cache/x");
            shell(failing, "validate", "false");
            failing.putArray("mutations").addObject().put("path", "written.txt").put("contents", "written\n");
            JsonNode failed = runner.awaitFinished(runner.accepted(failing));
            assertThat(failed.get("status").stringValue()).isEqualTo("FAILED");
            assertThat(failed.get("rolledBack").booleanValue()).isTrue();
            assertThat(tree(workspace)).isEqualTo(before);

            ObjectNode passing = shell(patch(uniqueId("bare-pass"), "default"), "postMutationBuild", "echo built > out.txt");
            passing.putArray("mutations").addObject().put("path", "tracked.txt").put("pattern", "tracked").put("replacement", "patched");
            JsonNode succeeded = runner.awaitFinished(runner.accepted(passing));
            assertThat(succeeded.get("status").stringValue()).isEqualTo("SUCCEEDED");
            assertThat(Files.readString(workspace.resolve("tracked.txt"))).isEqualTo("patched\n");
            assertThat(Files.readString(workspace.resolve("out.txt"))).isEqualTo("built\n");
            assertThat(home.resolve("state/running")).isEmptyDirectory();
        }
    }
}
