package dev.ghost.runner;

import static dev.ghost.runner.RunnerClient.patch;
import static dev.ghost.runner.RunnerClient.shell;
import static dev.ghost.runner.RunnerClient.tree;
import static dev.ghost.runner.RunnerClient.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;

/** Every refusal is a problem+json, happens before anything is touched, and records nothing. */
@ExtendWith(RealRedisExtension.class)
class PatchRejectionTest {

    static RunnerClient runner;
    static Path workspace;
    static Path outside;

    @BeforeAll
    static void start() {
        runner = new RunnerClient(SharedRunner.app());
        workspace = SharedRunner.workspace("default");
        outside = SharedRunner.outside();
    }

    private static JsonNode problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        return TestHttp.json(response);
    }

    private static void assertNeverRecorded(String id) {
        HttpResponse<String> response = TestHttp.get(SharedRunner.app().url("/patches/" + id), TestTokens.READ);
        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void traversalAndAbsolutePathsAreRefusedWithEveryViolationListed() {
        Map<String, String> before = tree(workspace);
        String id = uniqueId("escape");
        ObjectNode patch = patch(id, "default");
        var mutations = patch.putArray("mutations");
        mutations.addObject().put("path", "fine.txt").put("contents", "would be fine");
        mutations.addObject().put("path", "../escaped.txt").put("contents", "x");
        mutations.addObject().put("path", "/etc/passwd").put("contents", "x");
        mutations.addObject().put("diff", "--- a/../../x\n+++ b/../../x\n@@ -1 +1 @@\n-a\n+b\n");
        JsonNode problem = problem(runner.submit(patch), 400);
        assertThat(problem.get("violations").findValuesAsString("pointer"))
                .containsExactlyInAnyOrder("/mutations/1/path", "/mutations/2/path", "/mutations/3/diff");
        assertThat(tree(workspace)).isEqualTo(before);
        assertThat(workspace.resolve("fine.txt")).doesNotExist();
        assertNeverRecorded(id);
    }

    @Test
    void symlinksLeadingOutsideTheWorkspaceAreRefused() throws IOException {
        String dir = uniqueId("links");
        Files.createDirectories(workspace.resolve(dir));
        Files.createSymbolicLink(workspace.resolve(dir + "/out"), outside);
        Files.writeString(outside.resolve("victim.txt"), "safe\n");
        Files.createSymbolicLink(workspace.resolve(dir + "/victim.txt"), outside.resolve("victim.txt"));
        Files.createSymbolicLink(workspace.resolve(dir + "/dangling"), outside.resolve("does-not-exist.txt"));
        Files.createSymbolicLink(workspace.resolve(dir + "/inside"), workspace.resolve(dir));

        String id = uniqueId("symlink");
        ObjectNode patch = patch(id, "default");
        var mutations = patch.putArray("mutations");
        mutations.addObject().put("path", dir + "/out/new.txt").put("contents", "x");
        mutations.addObject().put("path", dir + "/victim.txt").put("contents", "owned");
        mutations.addObject().put("path", dir + "/dangling").put("contents", "x");
        mutations.addObject().put("path", dir + "/inside/ok.txt").put("contents", "a link that stays inside is fine");
        JsonNode problem = problem(runner.submit(patch), 400);
        assertThat(problem.get("violations").findValuesAsString("pointer"))
                .containsExactlyInAnyOrder("/mutations/0/path", "/mutations/1/path", "/mutations/2/path");
        assertThat(problem.toString()).contains("symlink");
        assertThat(Files.readString(outside.resolve("victim.txt"))).isEqualTo("safe\n");
        assertThat(outside.resolve("new.txt")).doesNotExist();
        assertThat(outside.resolve("does-not-exist.txt")).doesNotExist();
        assertNeverRecorded(id);
    }

    @Test
    void unknownTargetListsTheKnownWorkspaces() {
        String id = uniqueId("nowhere");
        JsonNode problem = problem(runner.submit(shell(patch(id, "production"), "validate", "true")), 400);
        assertThat(problem.get("type").stringValue()).isEqualTo("urn:ghost:problem:unknown-target");
        assertThat(problem.get("knownTargets").toString()).contains("alpha", "beta", "default", "gamma");
        assertNeverRecorded(id);
    }

    @Test
    void invalidPatchListsEveryViolation() {
        String body = "{\"id\": \"bad id!\", \"timeoutSeconds\": -1, \"mutations\": [{\"path\": \"a\"}], \"validate\": {\"shell\": [1]}}";
        JsonNode problem = problem(TestHttp.post(SharedRunner.app().url("/patches"), TestTokens.SUBMIT, body), 400);
        assertThat(problem.get("violations").findValuesAsString("pointer"))
                .contains("/id", "/timeoutSeconds", "/mutations/0", "/validate/shell/0");
        problem(TestHttp.post(SharedRunner.app().url("/patches"), TestTokens.SUBMIT, "{not json"), 400);
    }

    @Test
    void bodyOverOneMebibyteIs413() {
        String id = uniqueId("huge");
        ObjectNode patch = patch(id, "default");
        patch.putArray("mutations").addObject().put("path", "huge.txt").put("contents", "x".repeat(1024 * 1024 + 1));
        JsonNode problem = problem(runner.submit(patch), 413);
        assertThat(problem.get("type").stringValue()).isEqualTo("urn:ghost:problem:body-too-large");
        assertThat(workspace.resolve("huge.txt")).doesNotExist();
        assertNeverRecorded(id);
    }

    @Test
    void missingCredentialIs401AndReadRoleCannotSubmitOrCancel() {
        String id = uniqueId("auth");
        String body = shell(patch(id, "default"), "validate", "true").toString();
        problem(TestHttp.post(SharedRunner.app().url("/patches"), null, body), 401);
        problem(TestHttp.post(SharedRunner.app().url("/patches"), "wrong-token-0123456789abcdef", body), 401);
        problem(TestHttp.post(SharedRunner.app().url("/patches"), TestTokens.READ, body), 403);
        assertNeverRecorded(id);
        problem(TestHttp.get(SharedRunner.app().url("/patches/" + id), null), 401);
        problem(TestHttp.get(SharedRunner.app().url("/patches"), null), 401);

        runner.accepted(shell(patch(id, "default"), "validate", "true"));
        runner.awaitFinished(id);
        problem(TestHttp.post(SharedRunner.app().url("/patches/" + id + "/cancel"), TestTokens.READ, ""), 403);
        problem(TestHttp.get(SharedRunner.app().url("/patches/" + id + "/log"), null), 401);
        problem(TestHttp.get(SharedRunner.app().url("/patches/" + id + "/summary"), null), 401);
        assertThat(TestHttp.get(SharedRunner.app().url("/patches/" + id + "/summary"), TestTokens.READ).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPatchIs404AndCancellingAFinishedOneIs409() {
        problem(TestHttp.get(SharedRunner.app().url("/patches/" + uniqueId("never")), TestTokens.READ), 404);
        problem(TestHttp.get(SharedRunner.app().url("/patches/" + uniqueId("never") + "/summary"), TestTokens.READ), 404);
        String id = uniqueId("done");
        runner.accepted(shell(patch(id, "default"), "validate", "true"));
        runner.awaitFinished(id);
        JsonNode problem = problem(runner.cancel(id), 409);
        assertThat(problem.get("status").intValue()).isEqualTo(409);
        assertThat(problem.get("patchStatus").stringValue()).isEqualTo("SUCCEEDED");
    }
}
