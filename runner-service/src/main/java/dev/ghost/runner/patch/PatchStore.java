package dev.ghost.runner.patch;

import static dev.ghost.runner.redis.RedisBatch.bytes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import org.springframework.data.redis.core.script.RedisScript;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.runner.config.RunnerProperties;
import dev.ghost.runner.redis.RedisBatch;
import dev.ghost.runner.redis.RunnerKeys;

/**
 * Patch records in Redis. Every multi-key step is one Lua script over keys that share the patch's
 * hash tag, so it is atomic and runs unchanged on Redis Cluster. The index sorted sets are
 * written separately (they cannot share every patch's slot); the sweeper tolerates the gap.
 */
public class PatchStore {

    /** Creates record and lease unless the id is known; answers the existing record if it is. */
    private static final RedisScript<String> CREATE = RedisScript.of("""
            local current = redis.call('GET', KEYS[1])
            if current then return current end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
            return false
            """, String.class);

    /**
     * The owner's write of the whole record (every step so far in it, so the appended ones go):
     * refused once another runner holds the lease or the record was declared LOST, so a runner that
     * was presumed dead cannot overwrite the verdict. A final write drops the lease.
     */
    private static final RedisScript<Long> WRITE = RedisScript.of("""
            local holder = redis.call('GET', KEYS[2])
            if holder and holder ~= ARGV[3] then return 0 end
            local current = redis.call('GET', KEYS[1])
            if current and cjson.decode(current).status == 'LOST' then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            redis.call('DEL', KEYS[3])
            if ARGV[4] == '1' then redis.call('DEL', KEYS[2]) end
            return 1
            """, Long.class);

    /** The owner appends a finished step, fenced like {@link #WRITE}: the record itself is not rewritten. */
    private static final RedisScript<Long> APPEND_STEP = RedisScript.of("""
            local holder = redis.call('GET', KEYS[2])
            if holder and holder ~= ARGV[2] then return 0 end
            local current = redis.call('GET', KEYS[1])
            if current and cjson.decode(current).status == 'LOST' then return 0 end
            redis.call('RPUSH', KEYS[3], ARGV[1])
            redis.call('PEXPIRE', KEYS[3], ARGV[3])
            return 1
            """, Long.class);

    /**
     * Extends the owner's lease, re-taking it if it lapsed (e.g. over a Redis restart) unless someone
     * else took it or the patch was declared LOST (-1). Answers 2 when a cancel was requested.
     */
    private static final RedisScript<Long> RENEW = RedisScript.of("""
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            elseif holder then
              return -1
            else
              local current = redis.call('GET', KEYS[2])
              if current and cjson.decode(current).status == 'LOST' then return -1 end
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            end
            if redis.call('EXISTS', KEYS[3]) == 1 then return 2 end
            return 1
            """, Long.class);

    /**
     * Compare-and-set of a whole record (with its appended steps folded in), optionally only while no
     * lease exists (the sweeper's LOST).
     */
    private static final RedisScript<Long> REPLACE = RedisScript.of("""
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            if ARGV[3] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
            redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
            redis.call('DEL', KEYS[3])
            return 1
            """, Long.class);

    public enum Renewal { KEPT, CANCEL_REQUESTED, LOST }

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final RunnerProperties properties;
    private final RedisBatch batch;

    public PatchStore(StringRedisTemplate redis, RedisBatch batch, JsonMapper json, RunnerProperties properties) {
        this.redis = redis;
        this.batch = batch;
        this.json = json;
        this.properties = properties;
    }

    /** The record, with the steps a running patch appended since it was written whole. */
    public Optional<PatchRecord> find(String id) {
        return findStored(id).map(Stored::record);
    }

    /**
     * Stores a new QUEUED record with its lease; answers the record already stored under the id, if
     * any. One round trip: the index updates ride in the same pipeline as the atomic create.
     */
    public Optional<PatchRecord> create(PatchRecord record, String leaseToken) {
        long now = record.getSubmittedAt().toEpochMilli();
        byte[] id = bytes(record.getId());
        List<Object> replies = batch.send(redis -> List.of(
                // active first: a crash between the two leaves an id the sweeper drops, never a record it cannot find
                redis.zadd(bytes(RunnerKeys.ACTIVE), (double) now, id),
                redis.eval(CREATE.getScriptAsString(), ScriptOutputType.VALUE,
                        RedisBatch.keys(RunnerKeys.patch(record.getId()), RunnerKeys.patchLease(record.getId())),
                        json.writeValueAsBytes(record), bytes(ttlMillis()), bytes(leaseToken), bytes(leaseMillis())),
                // a racing duplicate would only move its id to the front of the recent list: harmless
                redis.zadd(bytes(RunnerKeys.RECENT), (double) now, id),
                redis.zremrangebyscore(bytes(RunnerKeys.RECENT), Range.create(Double.NEGATIVE_INFINITY,
                        (double) (now - properties.recordTtl().toMillis()))),
                redis.zremrangebyrank(bytes(RunnerKeys.RECENT), 0, -properties.recentLimit() - 1L)));
        Object existing = replies.get(1);
        return existing == null ? Optional.empty() : Optional.of(json.readValue((byte[]) existing, PatchRecord.class));
    }

    /**
     * A fenced write of the owner, sent to Redis; whether Redis took it (false: the patch was declared
     * LOST or taken over meanwhile) is known once {@link #accepted() awaited}.
     */
    public static final class OwnerWrite {

        private final RedisBatch.Replies replies;

        private OwnerWrite(RedisBatch.Replies replies) {
            this.replies = replies;
        }

        public boolean accepted() {
            return Objects.equals(replies.await().get(0), 1L);
        }
    }

    /** The owner's write of the whole record, sent now. */
    public OwnerWrite write(PatchRecord record, String leaseToken) {
        boolean last = record.getStatus().terminal();
        return new OwnerWrite(batch.sendNow(redis -> {
            List<RedisFuture<?>> commands = new ArrayList<>();
            commands.add(redis.eval(WRITE.getScriptAsString(), ScriptOutputType.INTEGER,
                    RedisBatch.keys(RunnerKeys.patch(record.getId()), RunnerKeys.patchLease(record.getId()),
                            RunnerKeys.patchSteps(record.getId())),
                    json.writeValueAsBytes(record), bytes(ttlMillis()), bytes(leaseToken), bytes(last ? "1" : "0")));
            if (last) {
                commands.add(redis.zrem(bytes(RunnerKeys.ACTIVE), bytes(record.getId())));
            }
            return commands;
        }));
    }

    /** The owner's append of a finished step, sent now. */
    public OwnerWrite appendStep(String id, PatchRecord.StepRecord step, String leaseToken) {
        return new OwnerWrite(batch.sendNow(redis -> List.of(redis.eval(APPEND_STEP.getScriptAsString(), ScriptOutputType.INTEGER,
                RedisBatch.keys(RunnerKeys.patch(id), RunnerKeys.patchLease(id), RunnerKeys.patchSteps(id)),
                json.writeValueAsBytes(step), bytes(leaseToken), bytes(ttlMillis())))));
    }

    public Renewal renew(String id, String leaseToken) {
        Long answer = redis.execute(RENEW, List.of(RunnerKeys.patchLease(id), RunnerKeys.patch(id), RunnerKeys.patchCancel(id)),
                leaseToken, leaseMillis());
        return answer == null || answer < 0 ? Renewal.LOST : answer == 2 ? Renewal.CANCEL_REQUESTED : Renewal.KEPT;
    }

    /** Replaces {@code expected} (as read) by {@code updated}; with {@code onlyWithoutLease}, only if no one holds the lease. */
    public boolean replace(Stored expected, PatchRecord updated, boolean onlyWithoutLease) {
        String id = updated.getId();
        Long replaced = redis.execute(REPLACE, List.of(RunnerKeys.patch(id), RunnerKeys.patchLease(id),
                RunnerKeys.patchSteps(id)), expected.json(), json.writeValueAsString(updated), onlyWithoutLease ? "1" : "0");
        return Objects.equals(replaced, 1L);
    }

    /** A record as stored ({@code json}, what {@link #replace} compares) and with the steps appended since ({@code record}). */
    public record Stored(String json, PatchRecord record) {
    }

    public Optional<Stored> findStored(String id) {
        String stored = redis.opsForValue().get(RunnerKeys.patch(id));
        if (stored == null) {
            return Optional.empty();
        }
        PatchRecord record = read(stored);
        if (!record.getStatus().terminal()) {
            List<String> steps = redis.opsForList().range(RunnerKeys.patchSteps(id), 0, -1);
            if (steps != null) {
                steps.forEach(step -> record.getSteps().add(json.readValue(step, PatchRecord.StepRecord.class)));
            }
        }
        return Optional.of(new Stored(stored, record));
    }

    public void requestCancel(String id) {
        redis.opsForValue().set(RunnerKeys.patchCancel(id), Instant.now().toString(), Duration.ofHours(1));
    }

    public void forgetActive(String id) {
        redis.opsForZSet().remove(RunnerKeys.ACTIVE, id);
    }

    /** Ids of patches some runner still has QUEUED or RUNNING (as far as the index knows), with their submission time. */
    public Map<String, Double> activeIds(int max) {
        Set<ZSetOperations.TypedTuple<String>> entries = redis.opsForZSet().rangeWithScores(RunnerKeys.ACTIVE, 0, max - 1L);
        Map<String, Double> ids = new LinkedHashMap<>();
        if (entries != null) {
            entries.forEach(entry -> ids.put(entry.getValue(), entry.getScore()));
        }
        return ids;
    }

    public boolean hasLease(String id) {
        return Boolean.TRUE.equals(redis.hasKey(RunnerKeys.patchLease(id)));
    }

    /** Most recent records first, optionally only those in {@code status}. */
    public List<PatchRecord> recent(PatchStatus status, int limit) {
        List<PatchRecord> found = new ArrayList<>();
        int batch = Math.max(limit, 100);
        for (long start = 0; found.size() < limit && start < properties.recentLimit(); start += batch) {
            Set<String> ids = redis.opsForZSet().reverseRange(RunnerKeys.RECENT, start, start + batch - 1);
            if (ids == null || ids.isEmpty()) {
                break;
            }
            List<String> values = redis.opsForValue().multiGet(ids.stream().map(RunnerKeys::patch).toList());
            if (values == null) {
                break;
            }
            for (String value : values) {
                if (value == null) {
                    continue; // expired record still in the index
                }
                PatchRecord record = read(value);
                if (status == null || record.getStatus() == status) {
                    found.add(record);
                    if (found.size() == limit) {
                        break;
                    }
                }
            }
            if (ids.size() < batch) {
                break;
            }
        }
        return found;
    }

    public PatchRecord read(String value) {
        return json.readValue(value, PatchRecord.class);
    }

    private String ttlMillis() {
        return String.valueOf(properties.recordTtl().toMillis());
    }

    private String leaseMillis() {
        return String.valueOf(properties.lease().toMillis());
    }
}
