package dev.ghost.ml.signal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.ml.MlKeys;
import dev.ghost.ml.MlProperties;

/**
 * Signals in Redis: one capped stream per kind ({@code MAXLEN ~}), entry ids by detection time,
 * so "since" queries are range reads. Survives restarts; readable by any instance.
 */
@Component
public class SignalStore {

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final long maxPerKind;

    public SignalStore(StringRedisTemplate redis, JsonMapper json, MlProperties ml) {
        this.redis = redis;
        this.json = json;
        this.maxPerKind = ml.signals().maxPerKind();
    }

    public void save(Signal signal) {
        MapRecord<String, String, String> record = StreamRecords.newRecord()
                .in(MlKeys.signals(signal.kind().key()))
                .ofMap(Map.of("signal", json.writeValueAsString(signal)));
        redis.opsForStream().add(record, XAddOptions.maxlen(maxPerKind).approximateTrimming(true));
    }

    /** Newest first: signals of these kinds detected at or after {@code since}, passing {@code filter}, at most {@code limit}. */
    public List<Signal> find(Set<SignalKind> kinds, Instant since, Predicate<Signal> filter, int limit) {
        List<Signal> found = new ArrayList<>();
        for (SignalKind kind : kinds) {
            List<MapRecord<String, Object, Object>> records = redis.opsForStream().reverseRange(MlKeys.signals(kind.key()),
                    Range.closed(since.toEpochMilli() + "-0", "+"), Limit.limit().count(Math.max(limit * 4, 200)));
            if (records == null) {
                continue;
            }
            for (MapRecord<String, Object, Object> record : records) {
                Signal signal = json.readValue(String.valueOf(record.getValue().get("signal")), Signal.class);
                if (filter.test(signal)) {
                    found.add(signal);
                }
            }
        }
        found.sort((a, b) -> b.detectedAt().compareTo(a.detectedAt()));
        return found.size() > limit ? found.subList(0, limit) : found;
    }
}
