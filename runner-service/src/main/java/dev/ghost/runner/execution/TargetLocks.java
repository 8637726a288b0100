package dev.ghost.runner.execution;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.ghost.common.redis.RedisKeys;
import dev.ghost.runner.config.RunnerProperties;

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

    public TargetLocks(StringRedisTemplate redis, RunnerProperties properties) {
        this.redis = redis;
        this.properties = properties;
    }

    public boolean tryAcquire(String target, String token) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(RedisKeys.runnerTargetLock(target), token, properties.getLease()));
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

    public Optional<String> dirtyMarker(String target) {
        return Optional.ofNullable(redis.opsForValue().get(RedisKeys.runnerTargetDirty(target)));
    }

    public void clearDirty(String target, String marker) {
        redis.execute(DELETE_IF, List.of(RedisKeys.runnerTargetDirty(target)), marker);
    }
}
