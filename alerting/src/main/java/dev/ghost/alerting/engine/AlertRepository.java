package dev.ghost.alerting.engine;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.redis.AlertingKeys;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.alerting.routing.GroupState;

/** Alerts, group states and the history, in Redis, so that a restart continues where it stopped. */
public class AlertRepository {

    /** One line of GET /alerts/history. */
    public record HistoryEntry(String id, Instant at, String transition, String fingerprint, String alertname,
            Map<String, String> labels, String state, String summary) {
    }

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final int historyMax;
    private final String alertsKey;
    private final String groupsKey;
    private final String historyKey;

    public AlertRepository(StringRedisTemplate redis, JsonMapper json, AlertingKeys keys, int historyMax) {
        this.redis = redis;
        this.json = json;
        this.historyMax = historyMax;
        this.alertsKey = keys.alerts();
        this.groupsKey = keys.groups();
        this.historyKey = keys.history();
    }

    public List<AlertData> alerts() {
        return redis.<String, String>opsForHash().values(alertsKey).stream()
                .map(text -> json.readValue(text, AlertData.class)).toList();
    }

    public List<GroupState> groups() {
        return redis.<String, String>opsForHash().values(groupsKey).stream()
                .map(text -> json.readValue(text, GroupState.class)).toList();
    }

    /**
     * Stores what a pass changed — alerts, group states, history — in one pipelined round trip
     * (the ingestion request waits for it).
     */
    public void save(Collection<AlertData> alerts, Collection<String> removedAlerts, Collection<GroupState> groups,
            Collection<String> removedGroups, List<Changes.Transition> transitions) {
        byte[] alertsHash = bytes(alertsKey);
        byte[] groupsHash = bytes(groupsKey);
        byte[] history = bytes(historyKey);
        redis.executePipelined((RedisCallback<Object>) connection -> {
            if (!alerts.isEmpty()) {
                Map<byte[], byte[]> values = new LinkedHashMap<>();
                alerts.forEach(alert -> values.put(bytes(alert.fingerprint()), bytes(json.writeValueAsString(alert))));
                connection.hashCommands().hMSet(alertsHash, values);
            }
            if (!removedAlerts.isEmpty()) {
                connection.hashCommands().hDel(alertsHash, removedAlerts.stream().map(AlertRepository::bytes).toArray(byte[][]::new));
            }
            if (!groups.isEmpty()) {
                Map<byte[], byte[]> values = new LinkedHashMap<>();
                groups.forEach(group -> values.put(bytes(group.key()), bytes(json.writeValueAsString(group))));
                connection.hashCommands().hMSet(groupsHash, values);
            }
            if (!removedGroups.isEmpty()) {
                connection.hashCommands().hDel(groupsHash, removedGroups.stream().map(AlertRepository::bytes).toArray(byte[][]::new));
            }
            for (Changes.Transition transition : transitions) {
                AlertData alert = transition.alert();
                HistoryEntry entry = new HistoryEntry(null, transition.at(), transition.kind().json(), alert.fingerprint(),
                        alert.alertname(), alert.labels(), alert.state().json(), alert.summary());
                connection.streamCommands().xAdd(StreamRecords.newRecord().in(history)
                                .ofMap(Map.of(bytes("entry"), bytes(json.writeValueAsString(entry)))),
                        XAddOptions.maxlen(historyMax).approximateTrimming(true));
            }
            return null;
        });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Newest first, from {@code since} on, at most {@code limit}, those {@code filter} accepts. */
    public List<HistoryEntry> history(Instant since, int limit, java.util.function.Predicate<HistoryEntry> filter) {
        List<HistoryEntry> found = new ArrayList<>();
        String upper = "+";
        Range.Bound<String> lower = since == null ? Range.Bound.unbounded() : Range.Bound.inclusive(since.toEpochMilli() + "-0");
        int page = Math.max(100, limit);
        while (found.size() < limit) {
            List<MapRecord<String, Object, Object>> records = redis.opsForStream().reverseRange(historyKey,
                    Range.of(lower, upper.equals("+") ? Range.Bound.unbounded() : Range.Bound.exclusive(upper)),
                    Limit.limit().count(page));
            if (records == null || records.isEmpty()) {
                break;
            }
            for (MapRecord<String, Object, Object> record : records) {
                HistoryEntry stored = json.readValue((String) record.getValue().get("entry"), HistoryEntry.class);
                HistoryEntry entry = new HistoryEntry(record.getId().getValue(), stored.at(), stored.transition(),
                        stored.fingerprint(), stored.alertname(), stored.labels(), stored.state(), stored.summary());
                if (filter.test(entry) && found.size() < limit) {
                    found.add(entry);
                }
            }
            if (records.size() < page) {
                break;
            }
            upper = records.get(records.size() - 1).getId().getValue();
        }
        return found;
    }
}
