package dev.ghost.remediation.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.GroupNote;
import dev.ghost.remediation.RemediationKeys;

/**
 * Everything remediation remembers, in Redis (so a standby taking over, or a restart, loses nothing):
 * runs, the runs being followed, the audit trail, each group's notes, acknowledgements, the Slack
 * replay cache and the automatic-mode rate limit.
 */
public class RemediationStore {

    private static final int MAX_NOTES = 20;
    private static final int MAX_RUNS_INDEXED = 10_000;

    /** Counts the group's automatic runs of the last hour; records one more if under the limit. Answers how many there are now, negated when refused. */
    private static final DefaultRedisScript<Long> RATE = new DefaultRedisScript<>("""
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
            local n = redis.call('ZCARD', KEYS[1])
            if n >= tonumber(ARGV[3]) then return -n end
            redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return n + 1
            """, Long.class);

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final RemediationKeys keys;
    private final Duration retention;
    private final int auditMax;
    private final Clock clock;

    public RemediationStore(StringRedisTemplate redis, JsonMapper json, RemediationKeys keys, Duration retention, int auditMax,
            Clock clock) {
        this.redis = redis;
        this.json = json;
        this.keys = keys;
        this.retention = retention;
        this.auditMax = auditMax;
        this.clock = clock;
    }

    public void save(Remediation run) {
        redis.opsForValue().set(keys.run(run.id()), json.writeValueAsString(run), retention);
    }

    /** A new run: stored, indexed, and followed from now on. */
    public void started(Remediation run) {
        save(run);
        long now = clock.millis();
        redis.opsForZSet().add(keys.runs(), run.id(), now);
        redis.opsForZSet().removeRange(keys.runs(), 0, -MAX_RUNS_INDEXED - 1);
        follow(run.id(), clock.instant());
    }

    public Optional<Remediation> find(String id) {
        String text = redis.opsForValue().get(keys.run(id));
        return Optional.ofNullable(text).map(t -> json.readValue(t, Remediation.class));
    }

    /** Recent runs, newest first. */
    public List<Remediation> recent(int limit, Predicate<Remediation> filter) {
        Set<String> ids = redis.opsForZSet().reverseRange(keys.runs(), 0, 999);
        List<Remediation> out = new ArrayList<>();
        for (String id : ids == null ? Set.<String>of() : ids) {
            find(id).filter(filter).ifPresent(out::add);
            if (out.size() >= limit) {
                break;
            }
        }
        return out;
    }

    public void follow(String id, Instant next) {
        redis.opsForZSet().add(keys.active(), id, next.toEpochMilli());
    }

    public void unfollow(String id) {
        redis.opsForZSet().remove(keys.active(), id);
    }

    /** Runs to look at now. */
    public Set<String> due(Instant now) {
        Set<String> ids = redis.opsForZSet().rangeByScore(keys.active(), 0, now.toEpochMilli(), 0, 200);
        return ids == null ? Set.of() : ids;
    }

    public void audit(AuditEntry entry) {
        redis.opsForStream().add(StreamRecords.newRecord().in(keys.audit()).ofMap(Map.of("e", json.writeValueAsString(entry))),
                XAddOptions.maxlen(auditMax).approximateTrimming(true));
    }

    /** The audit trail, newest first. */
    public List<AuditEntry> audit(int limit, Predicate<AuditEntry> filter) {
        List<AuditEntry> out = new ArrayList<>();
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().reverseRange(keys.audit(), Range.unbounded(),
                Limit.limit().count(Math.max(limit * 20, 2000)));
        for (MapRecord<String, Object, Object> record : records == null ? List.<MapRecord<String, Object, Object>>of() : records) {
            AuditEntry entry = json.readValue((String) record.getValue().get("e"), AuditEntry.class).withId(record.getId().getValue());
            if (filter.test(entry)) {
                out.add(entry);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    public void note(String groupId, GroupNote note) {
        String key = keys.notes(groupId);
        redis.opsForList().rightPush(key, json.writeValueAsString(note));
        redis.opsForList().trim(key, -MAX_NOTES, -1);
        redis.expire(key, retention);
    }

    public List<GroupNote> notes(String groupId) {
        List<String> texts = redis.opsForList().range(keys.notes(groupId), 0, -1);
        if (texts == null) {
            return List.of();
        }
        List<GroupNote> notes = new ArrayList<>();
        texts.forEach(text -> notes.add(json.readValue(text, GroupNote.class)));
        return Collections.unmodifiableList(notes);
    }

    /** Someone took the group at {@code at}: automatic runs hold off for alerts that fired before. */
    public void acknowledge(String groupId, String by, Instant at) {
        redis.opsForValue().set(keys.incident(groupId), by + " " + at.toEpochMilli(), Duration.ofHours(24));
    }

    /** When the group was acknowledged, if it was (within a day). */
    public Optional<Instant> acknowledged(String groupId) {
        String text = redis.opsForValue().get(keys.incident(groupId));
        if (text == null || !text.contains(" ")) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(Long.parseLong(text.substring(text.lastIndexOf(' ') + 1))));
    }

    /** Remembers a verified Slack request; false when it was seen before (a replay). */
    public boolean firstTime(String signature, Duration window) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(keys.slackReplay(signature), "1", window));
    }

    /** Forgets a request (it was not acted on), so Slack's retry is taken. */
    public void forget(String signature) {
        redis.delete(keys.slackReplay(signature));
    }

    /** Claims the alert and runbook for a run; the id of the run in progress when it is taken. */
    public Optional<String> claim(String fingerprint, String runbook, String runId, Duration atMost) {
        String key = keys.inProgress(fingerprint, runbook);
        if (Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(key, runId, atMost))) {
            return Optional.empty();
        }
        return Optional.ofNullable(redis.opsForValue().get(key));
    }

    /** The run is over (failed, or succeeded and verified): the runbook may run again for the alert. */
    public void release(String fingerprint, String runbook, String runId) {
        String key = keys.inProgress(fingerprint, runbook);
        if (runId.equals(redis.opsForValue().get(key))) {
            redis.delete(key);
        }
    }

    public boolean inProgress(String fingerprint, String runbook) {
        return Boolean.TRUE.equals(redis.hasKey(keys.inProgress(fingerprint, runbook)));
    }

    /** Decides once per alert episode and runbook; false when decided before. */
    public boolean decideOnce(String fingerprint, long episode, String runbook) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(keys.automaticDecision(fingerprint, episode, runbook), "1",
                Duration.ofDays(1)));
    }

    /** Takes a slot of the group's hourly automatic runs: the count including this one, or minus the count when none is left. */
    public long takeAutomaticSlot(String groupId, int maxPerHour, String runId) {
        Long answer = redis.execute(RATE, List.of(keys.automaticRuns(groupId)), String.valueOf(clock.millis()),
                String.valueOf(Duration.ofHours(1).toMillis()), String.valueOf(maxPerHour), runId);
        return answer == null ? 0 : answer;
    }
}
