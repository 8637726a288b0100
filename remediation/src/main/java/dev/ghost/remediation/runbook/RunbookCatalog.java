package dev.ghost.remediation.runbook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.remediation.RemediationKeys;

/**
 * The runbooks, in Redis, shared by every instance: the current version of each, and its last
 * versions. Saving numbers versions in one script (same text: nothing changes; new text: the next
 * number), so two instances saving the same file at once make one version. Read through a cache
 * refreshed every second (runbooks are looked up as each alert message is rendered).
 */
public class RunbookCatalog {

    private static final Logger log = LoggerFactory.getLogger(RunbookCatalog.class);
    private static final Duration REFRESH = Duration.ofSeconds(1);

    /** Returns the stored JSON: the new version, or the current one when the text is the same. */
    private static final DefaultRedisScript<String> SAVE = new DefaultRedisScript<>("""
            local cur = redis.call('HGET', KEYS[1], ARGV[1])
            local v = 1
            if cur then
              local c = cjson.decode(cur)
              if c.hash == ARGV[2] then return cur end
              v = c.version + 1
            else
              for _, k in ipairs(redis.call('HKEYS', KEYS[2])) do
                if tonumber(k) >= v then v = tonumber(k) + 1 end
              end
            end
            local out = string.gsub(ARGV[3], '"version":0,', '"version":' .. v .. ',', 1)
            redis.call('HSET', KEYS[1], ARGV[1], out)
            redis.call('HSET', KEYS[2], tostring(v), out)
            local keep = tonumber(ARGV[4])
            for _, k in ipairs(redis.call('HKEYS', KEYS[2])) do
              if tonumber(k) <= v - keep then redis.call('HDEL', KEYS[2], k) end
            end
            return out
            """, String.class);

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final RemediationKeys keys;
    private final int versionsKept;
    private final Clock clock;
    private volatile List<Runbook> cached = List.of();
    private volatile Instant cachedAt = Instant.EPOCH;
    private volatile boolean failing;

    public RunbookCatalog(StringRedisTemplate redis, JsonMapper json, RemediationKeys keys, int versionsKept, Clock clock) {
        this.redis = redis;
        this.json = json;
        this.keys = keys;
        this.versionsKept = versionsKept;
        this.clock = clock;
    }

    /** Stores a checked runbook (version 0) as a new version, unless its text is the current one's; answers what is stored. */
    public Runbook save(Runbook runbook) {
        String text = json.writeValueAsString(runbook);
        if (!text.startsWith("{\"name\":\"" + runbook.name() + "\",\"version\":0,")) {
            throw new IllegalStateException("unexpected runbook JSON layout");
        }
        String stored = redis.execute(SAVE, List.of(keys.runbooks(), keys.versions(runbook.name())), runbook.name(), runbook.hash(),
                text, String.valueOf(versionsKept));
        cachedAt = Instant.EPOCH;
        return json.readValue(stored, Runbook.class);
    }

    public Optional<Runbook> find(String name) {
        Object text = redis.opsForHash().get(keys.runbooks(), name);
        return Optional.ofNullable(text).map(t -> json.readValue((String) t, Runbook.class));
    }

    public Optional<Runbook> version(String name, int version) {
        Object text = redis.opsForHash().get(keys.versions(name), String.valueOf(version));
        return Optional.ofNullable(text).map(t -> json.readValue((String) t, Runbook.class));
    }

    /** The versions kept, newest first. */
    public List<Runbook> versions(String name) {
        List<Runbook> all = new ArrayList<>();
        for (Object text : redis.opsForHash().values(keys.versions(name))) {
            all.add(json.readValue((String) text, Runbook.class));
        }
        all.sort(Comparator.comparingInt(Runbook::version).reversed());
        return all;
    }

    /** Removes the runbook (its versions stay readable until they are replaced); false when there was none. */
    public boolean delete(String name) {
        Long removed = redis.opsForHash().delete(keys.runbooks(), name);
        cachedAt = Instant.EPOCH;
        return removed != null && removed > 0;
    }

    /** Every current runbook, by name, straight from Redis. */
    public List<Runbook> all() {
        List<Runbook> all = new ArrayList<>();
        for (Map.Entry<Object, Object> entry : redis.opsForHash().entries(keys.runbooks()).entrySet()) {
            try {
                all.add(json.readValue((String) entry.getValue(), Runbook.class));
            } catch (RuntimeException e) {
                log.warn("Runbook {} unreadable in Redis ({}): skipped", entry.getKey(), e.getMessage());
            }
        }
        all.sort(Comparator.comparing(Runbook::name));
        return all;
    }

    /** Every current runbook, at most a second old; the last good list while Redis is unreachable. */
    public List<Runbook> current() {
        Instant now = clock.instant();
        if (cachedAt.plus(REFRESH).isAfter(now)) {
            return cached;
        }
        try {
            cached = all();
            cachedAt = now;
            if (failing) {
                failing = false;
                log.info("Runbooks readable again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("Runbooks unreadable ({}); using the {} known ones", e.getMessage(), cached.size());
            }
        }
        return cached;
    }
}
