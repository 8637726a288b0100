package dev.ghost.runner;

import static dev.ghost.runner.RunnerClient.patch;
import static dev.ghost.runner.RunnerClient.shell;
import static dev.ghost.runner.RunnerClient.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;

/** One target: one patch at a time, in submission order. Different targets: in parallel. A full queue: 429. */
@ExtendWith(RealRedisExtension.class)
class SchedulingTest {

    static RunnerClient runner;

    @BeforeAll
    static void start() {
        runner = new RunnerClient(SharedRunner.app());
    }

    private static Instant started(JsonNode record) {
        return Instant.parse(record.get("startedAt").stringValue());
    }

    private static Instant finished(JsonNode record) {
        return Instant.parse(record.get("finishedAt").stringValue());
    }

    @Test
    void patchesOnOneTargetNeverOverlapAndRunInSubmissionOrder() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(runner.accepted(shell(patch(uniqueId("serial-" + i), "alpha"), "validate", "sleep 0.4")));
        }
        List<JsonNode> records = ids.stream().map(runner::awaitFinished).toList();
        for (int i = 1; i < records.size(); i++) {
            assertThat(started(records.get(i))).as("patch %d starts after patch %d finished", i, i - 1)
                    .isAfterOrEqualTo(finished(records.get(i - 1)));
        }
        assertThat(records).allSatisfy(record -> assertThat(record.get("status").stringValue()).isEqualTo("SUCCEEDED"));
    }

    @Test
    void patchesOnDifferentTargetsRunAtTheSameTime() {
        String onAlpha = runner.accepted(shell(patch(uniqueId("par-a"), "alpha"), "validate", "sleep 1.5"));
        String onBeta = runner.accepted(shell(patch(uniqueId("par-b"), "beta"), "validate", "sleep 1.5"));
        JsonNode a = runner.awaitFinished(onAlpha);
        JsonNode b = runner.awaitFinished(onBeta);
        assertThat(started(a)).isBefore(finished(b));
        assertThat(started(b)).isBefore(finished(a));
    }

    @Test
    void fullQueueAnswers429WithRetryAfterAndKeepsNothing() {
        String blocker = runner.accepted(shell(patch(uniqueId("block"), "gamma"), "validate", "sleep 60"));
        runner.awaitStatus(blocker, "RUNNING");
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < SharedRunner.QUEUE_CAPACITY; i++) {
            waiting.add(runner.accepted(shell(patch(uniqueId("wait-" + i), "gamma"), "validate", "true")));
        }
        String refusedId = uniqueId("refused");
        HttpResponse<String> refused = runner.submit(shell(patch(refusedId, "gamma"), "validate", "true"));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(value -> assertThat(Integer.parseInt(value)).isPositive());
        assertThat(TestHttp.json(refused).get("type").stringValue()).isEqualTo("urn:ghost:problem:queue-full");
        assertThat(TestHttp.get(SharedRunner.app().url("/patches/" + refusedId), dev.ghost.common.test.TestTokens.READ).statusCode())
                .isEqualTo(404);

        // a dedup hit needs no queue slot
        HttpResponse<String> again = runner.submit(shell(patch(waiting.get(0), "gamma"), "validate", "true"));
        assertThat(again.statusCode()).isEqualTo(200);

        runner.cancel(blocker);
        waiting.forEach(id -> assertThat(runner.awaitFinished(id).get("status").stringValue()).isEqualTo("SUCCEEDED"));
        assertThat(runner.awaitFinished(blocker).get("status").stringValue()).isEqualTo("CANCELLED");
        assertThat(runner.submit(shell(patch(refusedId, "gamma"), "validate", "true")).statusCode()).isEqualTo(202);
        runner.awaitFinished(refusedId);
    }
}
