package dev.ghost.relay.patch;

import java.util.Optional;
import java.util.Set;

import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Patch records as runners leave them in Redis ({@link RunnerRecordKeys}), read by the relay to find
 * a patch's runner and to answer for a runner that is gone. A patch still QUEUED or RUNNING whose lease has expired has no
 * runner working on it any more: it is reported LOST (what the runners' sweeper will also record).
 */
public class PatchRecords {

    private static final Set<String> ACTIVE = Set.of("QUEUED", "RUNNING");

    private final StringRedisTemplate redis;
    private final JsonMapper json;

    public PatchRecords(StringRedisTemplate redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
    }

    /** Whether a runner's record in this status has ended: the status can no longer change. */
    public static boolean finished(String status) {
        return !status.isEmpty() && !ACTIVE.contains(status);
    }

    public Optional<ObjectNode> find(String id) {
        String stored = redis.opsForValue().get(RunnerRecordKeys.record(id));
        return stored == null ? Optional.empty() : Optional.of((ObjectNode) json.readTree(stored));
    }

    /** The record as an answer on its runner's behalf. */
    public ObjectNode asLeft(ObjectNode record) {
        String status = record.path("status").asString("");
        if (ACTIVE.contains(status) && !Boolean.TRUE.equals(redis.hasKey(RunnerRecordKeys.lease(record.path("id").asString())))) {
            record.put("status", "LOST");
            if (!record.hasNonNull("error")) {
                record.put("error", "runner " + record.path("runner").asString("?") + " stopped holding the patch while it was "
                        + status + " (its lease expired)");
            }
        }
        return record;
    }
}
