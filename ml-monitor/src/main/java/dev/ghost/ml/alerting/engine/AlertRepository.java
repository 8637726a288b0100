package dev.ghost.ml.alerting.engine;

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
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.redis.RedisKeys;
import dev.ghost.ml.alerting.model.AlertData;
import dev.ghost.ml.alerting.routing.GroupState;

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

    public AlertRepository(StringRedisTemplate redis, JsonMapper json, String namespace, int historyMax) {
        this.redis = redis;
        this.json = json;
        this.historyMax = historyMax;
        this.alertsKey = RedisKeys.alertingAlerts(namespace);
        this.groupsKey = RedisKeys.alertingGroups(namespace);
        this.historyKey = RedisKeys.alertingHistory(namespace);
    }

    public List<AlertData> alerts() {
        return redis.<String, String>opsForHash().values(alertsKey).stream()
                .map(text -> json.readValue(text, AlertData.class)).toList();
    }

    public List<GroupState> groups() {
        return redis.<String, String>opsForHash().values(groupsKey).stream()
                .map(text -> json.readValue(text, GroupState.class)).toList();
    }

    public void saveAlerts(Collection<AlertData> changed, Collection<String> removed) {
        if (!changed.isEmpty()) {
            Map<String, String> values = new LinkedHashMap<>();
            changed.forEach(alert -> values.put(alert.fingerprint(), json.writeValueAsString(alert)));
            redis.opsForHash().putAll(alertsKey, values);
        }
        if (!removed.isEmpty()) {
            redis.opsForHash().delete(alertsKey, removed.toArray());
        }
    }

    public void saveGroups(Collection<GroupState> changed, Collection<String> removed) {
        if (!changed.isEmpty()) {
            Map<String, String> values = new LinkedHashMap<>();
            changed.forEach(group -> values.put(group.key(), json.writeValueAsString(group)));
            redis.opsForHash().putAll(groupsKey, values);
        }
        if (!removed.isEmpty()) {
            redis.opsForHash().delete(groupsKey, removed.toArray());
        }
    }

    public void appendHistory(List<Changes.Transition> transitions) {
        for (Changes.Transition transition : transitions) {
            AlertData alert = transition.alert();
            HistoryEntry entry = new HistoryEntry(null, transition.at(), transition.kind().json(), alert.fingerprint(),
                    alert.alertname(), alert.labels(), alert.state().json(), alert.summary());
            MapRecord<String, String, String> record = StreamRecords.newRecord().in(historyKey)
                    .ofMap(Map.of("entry", json.writeValueAsString(entry)));
            redis.opsForStream().add(record, XAddOptions.maxlen(historyMax).approximateTrimming(true));
        }
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
