package dev.ghost.alerting.silences;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.redis.AlertingKeys;

/**
 * Silences in a Redis hash, shared by every instance running alerting. The alerting loop asks for the
 * current ones on every pass; they are read from Redis at most every {@link #REFRESH} (sooner
 * after a change made here), and the last good list is kept while Redis is unreachable.
 */
public class SilenceStore {

    private static final Logger log = LoggerFactory.getLogger(SilenceStore.class);
    static final Duration REFRESH = Duration.ofSeconds(1);

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration retention;
    private final String key;
    private volatile List<Silence.Compiled> cached = List.of();
    private volatile Instant cachedAt = Instant.EPOCH;
    private volatile boolean failing;

    public SilenceStore(StringRedisTemplate redis, JsonMapper json, Clock clock, AlertingKeys keys, Duration retention) {
        this.key = keys.silences();
        this.redis = redis;
        this.json = json;
        this.clock = clock;
        this.retention = retention;
    }

    public void save(Silence silence) {
        redis.opsForHash().put(key, silence.id(), json.writeValueAsString(silence));
        cachedAt = Instant.EPOCH;
    }

    /**
     * Expires the silence now (a pending one as well: it then never starts); answers it as it is now,
     * empty when there is no such silence.
     */
    public Optional<Silence> expire(String id) {
        Instant now = clock.instant();
        return find(id).map(silence -> {
            if (silence.state(now) == Silence.State.EXPIRED) {
                return silence;
            }
            Instant start = silence.startsAt().isAfter(now) ? now : silence.startsAt();
            Silence expired = new Silence(silence.id(), silence.matchers(), start, now, silence.createdBy(), silence.comment(),
                    silence.createdAt(), now);
            save(expired);
            return expired;
        });
    }

    public Optional<Silence> find(String id) {
        Object text = redis.opsForHash().get(key, id);
        return Optional.ofNullable(text).map(t -> json.readValue((String) t, Silence.class));
    }

    /** Every silence still listed, newest first; those expired longer than the retention are deleted. */
    public List<Silence> all() {
        Instant now = clock.instant();
        List<Silence> kept = new ArrayList<>();
        List<Object> stale = new ArrayList<>();
        for (Object text : redis.opsForHash().values(key)) {
            Silence silence = json.readValue((String) text, Silence.class);
            if (silence.endsAt().plus(retention).isBefore(now)) {
                stale.add(silence.id());
            } else {
                kept.add(silence);
            }
        }
        if (!stale.isEmpty()) {
            redis.opsForHash().delete(key, stale.toArray());
        }
        kept.sort(Comparator.comparing(Silence::createdAt).reversed());
        return kept;
    }

    /** Silences not yet expired, compiled, for the dispatcher. */
    public List<Silence.Compiled> current() {
        Instant now = clock.instant();
        if (cachedAt.plus(REFRESH).isAfter(now)) {
            return cached;
        }
        try {
            cached = all().stream().filter(s -> s.state(now) != Silence.State.EXPIRED).map(Silence.Compiled::of).toList();
            cachedAt = now;
            if (failing) {
                failing = false;
                log.info("Silences readable again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("Silences unreadable ({}); using the {} known ones", e.getMessage(), cached.size());
            }
        }
        return cached;
    }
}
