package dev.ghost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.relay.patch.RunnerRecordKeys;
import dev.ghost.runner.patch.PatchRecord;
import dev.ghost.runner.patch.PatchStatus;
import dev.ghost.runner.redis.RunnerKeys;

/**
 * The relay reads what runners publish in Redis without importing the runner: its own spelling of
 * the record's keys ({@link RunnerRecordKeys}) must name what the runner writes ({@link RunnerKeys}),
 * and the fields it reads must be in the runner's record.
 */
class RunnerRecordContractTest {

    @Test
    void theRelayReadsTheKeysRunnersWrite() {
        for (String id : List.of("p1", "patch-2024-01-01_a.b", "{braced}", "a:b")) {
            assertThat(RunnerRecordKeys.record(id)).isEqualTo(RunnerKeys.patch(id));
            assertThat(RunnerRecordKeys.lease(id)).isEqualTo(RunnerKeys.patchLease(id));
        }
    }

    @Test
    void theRunnersRecordCarriesWhatTheRelayReads() {
        PatchRecord record = new PatchRecord();
        record.setId("p1");
        record.setStatus(PatchStatus.RUNNING);
        record.setRunner("localhost:runner-service:5050");
        record.setError("stopped");
        JsonMapper json = JsonMapper.builder().build();
        JsonNode written = json.readTree(json.writeValueAsString(record));
        assertThat(written.path("id").asString()).isEqualTo("p1");
        assertThat(written.path("status").asString()).isEqualTo("RUNNING");
        assertThat(written.path("runner").asString()).isEqualTo("localhost:runner-service:5050");
        assertThat(written.path("error").asString()).isEqualTo("stopped");
    }
}
