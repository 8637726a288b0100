package dev.ghost.runner;

import static dev.ghost.runner.RunnerClient.patch;
import static dev.ghost.runner.RunnerClient.shell;
import static dev.ghost.runner.RunnerClient.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.node.ObjectNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;

/** Patch files dropped in the inbox are submitted once complete and filed with a summary; nothing is dropped. */
@ExtendWith(RealRedisExtension.class)
class InboxTest {

    static RunnerClient runner;
    static Path inbox;
    static Path workspace;

    @BeforeAll
    static void start() {
        runner = new RunnerClient(SharedRunner.app());
        inbox = SharedRunner.inbox();
        workspace = SharedRunner.workspace("beta");
    }

    @Test
    void aCompletePatchFileIsAppliedAndFiledUnderCompletedWithItsSummary() throws IOException {
        String id = uniqueId("inbox-ok");
        String file = uniqueId("f") + ".txt";
        ObjectNode patch = shell(patch(id, "beta"), "validate", "grep -q dropped " + file);
        patch.putArray("mutations").addObject().put("path", file).put("contents", "dropped in\n");
        Files.writeString(inbox.resolve(id + ".json"), patch.toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve(".completed/" + id + ".summary.md")));
        assertThat(inbox.resolve(".completed/" + id + ".json")).exists();
        assertThat(inbox.resolve(id + ".json")).doesNotExist();
        assertThat(Files.readString(inbox.resolve(".completed/" + id + ".summary.md"))).contains("SUCCEEDED", file);
        assertThat(Files.readString(workspace.resolve(file))).isEqualTo("dropped in\n");
        assertThat(runner.record(id).get("submittedBy").stringValue()).isEqualTo("inbox");
    }

    @Test
    void aFailingPatchIsFiledUnderFailedWithItsSummary() throws IOException {
        String id = uniqueId("inbox-fail");
        Files.writeString(inbox.resolve("failing-" + id + ".json"), shell(patch(id, "beta"), "validate", "exit 4").toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve(".failed/" + id + ".summary.md")));
        assertThat(inbox.resolve(".failed/failing-" + id + ".json")).exists();
        assertThat(Files.readString(inbox.resolve(".failed/" + id + ".summary.md"))).contains("FAILED", "Exit 4");
    }

    @Test
    void invalidFilesGoToFailedWithTheProblemBesideThem() throws IOException {
        String broken = uniqueId("broken") + ".json";
        Files.writeString(inbox.resolve(broken), "{\"id\": ");
        String unsafe = uniqueId("unsafe") + ".json";
        ObjectNode patch = patch(uniqueId("inbox-escape"), "beta");
        patch.putArray("mutations").addObject().put("path", "../../escape.txt").put("contents", "x");
        Files.writeString(inbox.resolve(unsafe), patch.toString());
        String elsewhere = uniqueId("elsewhere") + ".json";
        Files.writeString(inbox.resolve(elsewhere), shell(patch(uniqueId("inbox-target"), "nowhere"), "validate", "true").toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve(".failed/" + broken + ".problem.json"))
                && Files.exists(inbox.resolve(".failed/" + unsafe + ".problem.json"))
                && Files.exists(inbox.resolve(".failed/" + elsewhere + ".problem.json")));
        assertThat(inbox.resolve(".failed/" + broken)).hasContent("{\"id\": ");
        assertThat(TestHttp.json(Files.readString(inbox.resolve(".failed/" + broken + ".problem.json"))).get("violations").toString())
                .contains("not valid JSON");
        assertThat(Files.readString(inbox.resolve(".failed/" + unsafe + ".problem.json"))).contains("/mutations/0/path", "escapes");
        assertThat(Files.readString(inbox.resolve(".failed/" + elsewhere + ".problem.json"))).contains("unknown-target", "beta");
    }

    @Test
    void aFileStillBeingWrittenIsLeftAloneUntilItIsComplete() throws Exception {
        String id = uniqueId("inbox-slow");
        String json = shell(patch(id, "beta"), "validate", "true").toString();
        Path file = inbox.resolve(id + ".json");
        Files.writeString(file, json.substring(0, 10));
        // keep appending slowly: the file changes more often than the settle time, so it must not be read yet
        for (int i = 10; i < json.length(); i += 10) {
            Thread.sleep(100);
            Files.writeString(file, json.substring(i, Math.min(json.length(), i + 10)), StandardOpenOption.APPEND);
            assertThat(inbox.resolve(".failed/" + id + ".json.problem.json")).doesNotExist();
            assertThat(file).exists();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve(".completed/" + id + ".summary.md")));
        assertThat(inbox.resolve(".failed/" + id + ".json")).doesNotExist();
    }
}
