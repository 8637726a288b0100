package dev.ghost.runner.locking;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import io.lettuce.core.SetArgs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.runner.config.RunnerProperties;
import dev.ghost.runner.redis.RedisBatch;
import dev.ghost.runner.redis.RunnerKeys;
import dev.ghost.runner.rollback.DirtyMarker;
import dev.ghost.runner.rollback.Journal;

/**
 * One patch at a time per target, across every runner that shares the workspace: a Redis lock
 * whose lease the holder renews, plus the "dirty" marker that tells the others a runner is changing
 * the workspace (and, if that runner died meanwhile, that only it can put the workspace back).
 */
public class TargetLocks implements DirtyMarker {

    private static final Logger log = LoggerFactory.getLogger(TargetLocks.class);

    /** The dirty marker: who is changing the target. Names no path: nothing read from Redis decides what a runner touches. */
    public record Mark(String patchId, String runner) {
    }

    /** Extends the holder's lease, re-taking a lapsed one; 0 when someone else holds it. */
    private static final RedisScript<Long> RENEW = RedisScript.of("""
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
            if holder then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
            """, Long.class);

    private static final RedisScript<Long> DELETE_IF = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """, Long.class);

    private final StringRedisTemplate redis;
    private final RunnerProperties properties;
    private final RedisBatch batch;
    private final JsonMapper json;

    public TargetLocks(StringRedisTemplate redis, RedisBatch batch, RunnerProperties properties, JsonMapper json) {
        this.redis = redis;
        this.batch = batch;
        this.properties = properties;
        this.json = json;
    }

    public boolean tryAcquire(String target, String token) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(RunnerKeys.targetLock(target), token, properties.lease()));
    }

    /** The lock taken, with the target's dirty marker (null when clean) read in the same round trip. */
    public record Acquired(Mark dirty) {
    }

    /** Null when someone else holds the lock. */
    public Acquired tryAcquireReadingDirty(String target, String token) {
        List<Object> replies = batch.send(redis -> List.of(
                redis.set(RedisBatch.bytes(RunnerKeys.targetLock(target)), RedisBatch.bytes(token),
                        SetArgs.Builder.nx().px(properties.lease().toMillis())),
                redis.get(RedisBatch.bytes(RunnerKeys.targetDirty(target)))));
        return "OK".equals(replies.get(0)) ? new Acquired(replies.get(1) == null ? null
                : json.readValue(new String((byte[]) replies.get(1), StandardCharsets.UTF_8), Mark.class)) : null;
    }

    public boolean renew(String target, String token) {
        return Objects.equals(redis.execute(RENEW, List.of(RunnerKeys.targetLock(target)),
                token, String.valueOf(properties.lease().toMillis())), 1L);
    }

    public void release(String target, String token) {
        redis.execute(DELETE_IF, List.of(RunnerKeys.targetLock(target)), token);
    }

    @Override
    public void mark(Journal.Meta journal) {
        try {
            redis.opsForValue().set(RunnerKeys.targetDirty(journal.target()), markOf(journal), properties.recordTtl());
        } catch (DataAccessException e) {
            log.warn("target {} not marked dirty for patch {} (Redis unreachable)", journal.target(), journal.patchId());
        }
    }

    @Override
    public void clear(Journal.Meta journal) {
        try {
            redis.execute(DELETE_IF, List.of(RunnerKeys.targetDirty(journal.target())), markOf(journal));
        } catch (DataAccessException e) {
            log.warn("dirty marker of target {} not cleared (Redis unreachable); it names this runner, which clears it"
                    + " before its next patch there", journal.target());
        }
    }

    /** Drops a marker of this runner's own that outlived its journal (Redis was away when the patch ended). */
    public void clearStale(String target, Mark mark) {
        redis.execute(DELETE_IF, List.of(RunnerKeys.targetDirty(target)), json.writeValueAsString(mark));
    }

    private String markOf(Journal.Meta journal) {
        return json.writeValueAsString(new Mark(journal.patchId(), journal.runner()));
    }
}
