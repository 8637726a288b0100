package dev.ghost.runner.execution;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import io.lettuce.core.SetArgs;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.ghost.common.redis.RedisKeys;
import dev.ghost.runner.config.RunnerProperties;
import dev.ghost.runner.redis.RedisBatch;

/**
 * One patch at a time per target, across every runner that shares the workspace: a Redis lock
 * whose lease the holder renews, plus the "dirty" marker a crashed holder leaves for its successor.
 */
public class TargetLocks {

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

    public TargetLocks(StringRedisTemplate redis, RedisBatch batch, RunnerProperties properties) {
        this.redis = redis;
        this.batch = batch;
        this.properties = properties;
    }

    public boolean tryAcquire(String target, String token) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(RedisKeys.runnerTargetLock(target), token, properties.getLease()));
    }

    /** The lock taken, with the target's dirty marker (null when clean) read in the same round trip. */
    public record Acquired(String dirtyMarker) {
    }

    /** Null when someone else holds the lock. */
    public Acquired tryAcquireReadingDirty(String target, String token) {
        List<Object> replies = batch.send(redis -> List.of(
                redis.set(RedisBatch.bytes(RedisKeys.runnerTargetLock(target)), RedisBatch.bytes(token),
                        SetArgs.Builder.nx().px(properties.getLease().toMillis())),
                redis.get(RedisBatch.bytes(RedisKeys.runnerTargetDirty(target)))));
        return "OK".equals(replies.get(0)) ? new Acquired(replies.get(1) == null ? null
                : new String((byte[]) replies.get(1), StandardCharsets.UTF_8)) : null;
    }

    public boolean renew(String target, String token) {
        return Objects.equals(redis.execute(RENEW, List.of(RedisKeys.runnerTargetLock(target)),
                token, String.valueOf(properties.getLease().toMillis())), 1L);
    }

    public void release(String target, String token) {
        redis.execute(DELETE_IF, List.of(RedisKeys.runnerTargetLock(target)), token);
    }

    /** Marks the target as mid-patch; {@code marker} says which snapshot restores it. */
    public void markDirty(String target, String marker) {
        redis.opsForValue().set(RedisKeys.runnerTargetDirty(target), marker, properties.getRecordTtl());
    }

    public void clearDirty(String target, String marker) {
        redis.execute(DELETE_IF, List.of(RedisKeys.runnerTargetDirty(target)), marker);
    }
}
