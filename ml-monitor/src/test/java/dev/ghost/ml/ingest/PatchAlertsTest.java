package dev.ghost.ml.ingest;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ghost.alerting.test.AlertingStack;
import dev.ghost.alerting.test.SlackStandIn;
import dev.ghost.common.event.GhostEvent;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestTokens;
import dev.ghost.common.test.TestHttp;
import dev.ghost.ml.MlMonitorApplication;

import static dev.ghost.alerting.test.AlertingStack.event;
import static dev.ghost.alerting.test.AlertingStack.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * patch.* events as runners emit them, through ml-monitor's POST /events into the alerting it runs,
 * the failure named by ml-monitor's classifier, out to the Slack stand-in.
 */
@ExtendWith(RealRedisExtension.class)
class PatchAlertsTest {

    static AlertingStack stack;

    @BeforeAll
    static void start() {
        stack = new AlertingStack(MlMonitorApplication.class, new SlackStandIn(), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    static GhostEvent failedStep(String patchId, String target) {
        return event("patch.step", "patchId", patchId, "target", target, "status", "RUNNING", "runner", "runner-1",
                "phase", "postMutationBuild", "index", 0, "step", "javac -d out src/App.java", "outcome", "failed",
                "exitCode", 1, "durationMs", 812,
                "outputTail", "src/App.java:12: error: cannot find symbol\n    Foo foo = new Foo();\n    ^\n  symbol:   class Foo\n"
                        + "  location: class App\n1 error\n");
    }

    static GhostEvent failed(String patchId, String target) {
        return event("patch.failed", "patchId", patchId, "target", target, "status", "FAILED", "runner", "runner-1",
                "rolledBack", true, "error", "postMutationBuild command 0 exited 1", "durationMs", 1500);
    }

    @Test
    void threeFailuresOnOneTargetAreOneMessageNamingTheClassifiedFailureTypeAndASuccessResolvesIt() {
        String target = unique("web");
        stack.events(failedStep(target + "-p1", target), failed(target + "-p1", target),
                failedStep(target + "-p2", target), failed(target + "-p2", target),
                failedStep(target + "-p3", target), failed(target + "-p3", target));
        await().atMost(Duration.ofSeconds(15)).until(() -> stack.slack.delivered(target).size() == 1);
        SlackStandIn.Received message = stack.slack.delivered(target).get(0);
        assertThat(message.toOncall()).as("a warning goes to the team receiver").isFalse();
        assertThat(message.text()).contains("[FIRING:1]").contains("Patches fail on target " + target);
        assertThat(message.attachments())
                .contains("Cause (GHOST classified):* *compile*")
                .contains("Occurrences:* 3 (compile ×3)")
                .contains("cannot find symbol")
                .contains("javac -d out src/App.java")
                .contains("/relay/patches/" + target + "-p3/summary");

        stack.events(failedStep(target + "-p4", target), failed(target + "-p4", target));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> stack.slack.delivered(target).size() == 1);

        stack.events(event("patch.succeeded", "patchId", target + "-p5", "target", target, "status", "SUCCEEDED"));
        await().atMost(Duration.ofSeconds(15)).until(() -> stack.slack.delivered(target).size() == 2);
        assertThat(stack.slack.delivered(target).get(1).text()).contains("[RESOLVED]");
    }

    @Test
    void aLostPatchIsCriticalAndGoesToOnCall() {
        String target = unique("api");
        stack.events(event("patch.lost", "patchId", target + "-p1", "target", target, "status", "LOST", "runner", "runner-2"));
        await().atMost(Duration.ofSeconds(15)).until(() -> stack.slack.delivered(target).size() == 1);
        SlackStandIn.Received message = stack.slack.delivered(target).get(0);
        assertThat(message.toOncall()).isTrue();
        assertThat(message.attachments()).contains("runner lost").contains("#E01E5A");
    }

    @Test
    void aCancelledPatchNeitherAlertsNorResolves() {
        String target = unique("docs");
        stack.events(event("patch.cancelled", "patchId", target + "-p1", "target", target, "status", "CANCELLED"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> stack.slack.delivered(target).isEmpty());
    }

    @Test
    void slackMarkupInALogSourceReachesSlackAsLiteralText() {
        String marker = unique("mention");
        String source = "<!channel> <@U012ABCDEF> <https://evil.example|click> `" + marker;
        // past the source's warm-up, a new kind of line is a NewLogTemplate alert whose summary names the source
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            line.append("{\"message\":\"request ").append(i).append(" served in ").append(i % 7).append(" ms\"}\n");
        }
        line.append("{\"message\":\"java.lang.OutOfMemoryError: Java heap space\",\"level\":\"ERROR\"}\n");
        HttpResponse<String> posted = TestHttp.send(TestHttp.request(stack.url("/logs?source="
                        + java.net.URLEncoder.encode(source, java.nio.charset.StandardCharsets.UTF_8)), TestTokens.SUBMIT)
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(line.toString())).build());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).until(() -> !stack.slack.delivered(marker).isEmpty());
        SlackStandIn.Received message = stack.slack.delivered(marker).get(0);
        for (String content : new String[] {message.text(), message.attachments()}) {
            assertThat(content).doesNotContain("<!channel>", "<@U012ABCDEF>", "<https://evil.example|click>");
        }
        assertThat(message.text() + message.attachments()).contains("&lt;!channel&gt;");
    }
}
