package dev.ghost.health.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.event.GhostEvent;
import dev.ghost.health.fleet.Status;

/**
 * What was last told about each subject (an instance, a service, a dependency), in one Redis hash the
 * members of a pair share: the status, whether an instance is in the registry, a sequence number
 * and the event that told it. A change is told only if the ledger does not say it already, and its
 * event id is the subject and its sequence number, so a repeat by another member (or after a
 * restart) carries the same id and collapses downstream. Writes are compare-and-set on the stored
 * value; whoever loses reads again and usually finds the change already told.
 */
public class TransitionLedger {

    /**
     * @param status     the last status told (null: only that it appeared)
     * @param registered for an instance: whether it is in the registry
     * @param told       whether the relay took the event (false: it may still have to be sent)
     */
    public record Entry(Status status, boolean registered, long seq, boolean told, GhostEvent event) {

        Entry toldNow() {
            return new Entry(status, registered, seq, true, event);
        }
    }

    /** An entry with the exact text it is stored as: the expected value of the next compare-and-set. */
    public record Stored(Entry entry, String text) {
    }

    private static final RedisScript<Long> COMPARE_AND_SET = RedisScript.of("""
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if (current or '') ~= ARGV[2] then
              return 0
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            return 1
            """, Long.class);

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final String key;

    public TransitionLedger(StringRedisTemplate redis, JsonMapper json, String key) {
        this.redis = redis;
        this.json = json;
        this.key = key;
    }

    public Stored read(String subject) {
        String text = redis.<String, String>opsForHash().get(key, subject);
        return text == null ? null : new Stored(json.readValue(text, Entry.class), text);
    }

    public Map<String, Stored> readAll() {
        Map<String, Stored> all = new LinkedHashMap<>();
        redis.<String, String>opsForHash().entries(key)
                .forEach((subject, text) -> all.put(subject, new Stored(json.readValue(text, Entry.class), text)));
        return all;
    }

    /** Stores {@code next} if the subject is still as {@code expected} said (null: not there yet). */
    public boolean replace(String subject, Stored expected, Entry next) {
        Long done = redis.execute(COMPARE_AND_SET, List.of(key), subject, expected == null ? "" : expected.text(),
                json.writeValueAsString(next));
        return done != null && done == 1;
    }

    /** The relay took the event of {@code seq}: no need to send it again (unless a newer change replaced it). */
    public void told(String subject, long seq) {
        Stored stored = read(subject);
        if (stored != null && stored.entry().seq() == seq && !stored.entry().told()) {
            replace(subject, stored, stored.entry().toldNow());
        }
    }
}
