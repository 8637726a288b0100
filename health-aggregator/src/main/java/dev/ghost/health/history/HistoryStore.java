package dev.ghost.health.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.health.HealthKeys;
import dev.ghost.health.fleet.Sample;
import dev.ghost.health.fleet.Status;
import dev.ghost.health.probe.Figures;

/**
 * Every poll's figures per instance, in Redis: one sorted set per instance scored by time,
 * trimmed to the retention on every write and expiring with it, plus an index of which
 * instances a service had. Long ranges are downsampled when read ({@link #read}).
 */
public class HistoryStore {

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final Duration retention;

    public HistoryStore(StringRedisTemplate redis, JsonMapper json, Duration retention) {
        this.redis = redis;
        this.json = json;
        this.retention = retention;
    }

    public Duration retention() {
        return retention;
    }

    /** One pipelined round trip for a whole round. */
    public void write(List<Sample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        long now = samples.get(samples.size() - 1).at();
        long horizon = now - retention.toMillis();
        redis.executePipelined(new SessionCallback<Object>() {
            @Override
            public <K, V> Object execute(RedisOperations<K, V> operations) {
                ZSetOperations<String, String> zset = redis.opsForZSet();
                for (Sample sample : samples) {
                    String key = HealthKeys.history(sample.instance());
                    zset.add(key, json.writeValueAsString(Point.of(sample)), sample.at());
                    zset.removeRangeByScore(key, Double.NEGATIVE_INFINITY, horizon);
                    redis.expire(key, retention);
                    zset.add(HealthKeys.HISTORY_INDEX, sample.service() + "|" + sample.instance(), sample.at());
                }
                zset.removeRangeByScore(HealthKeys.HISTORY_INDEX, Double.NEGATIVE_INFINITY, horizon);
                redis.expire(HealthKeys.HISTORY_INDEX, retention);
                return null;
            }
        });
    }

    /** Instances of {@code service} that have history since {@code since}. */
    public List<String> instances(String service, Instant since) {
        Set<String> members = redis.opsForZSet().rangeByScore(HealthKeys.HISTORY_INDEX, since.toEpochMilli(),
                Double.POSITIVE_INFINITY);
        List<String> instances = new ArrayList<>();
        String prefix = service + "|";
        if (members != null) {
            members.stream().filter(m -> m.startsWith(prefix)).map(m -> m.substring(prefix.length())).sorted()
                    .forEach(instances::add);
        }
        return instances;
    }

    /**
     * The instance's points from {@code since}, one per {@code step}: the worst status in the
     * step, the share of polls that found it up, and the mean of each figure.
     */
    public List<Point> read(String instance, Instant since, Duration step) {
        Set<String> raw = redis.opsForZSet().rangeByScore(HealthKeys.history(instance), since.toEpochMilli(),
                Double.POSITIVE_INFINITY);
        if (raw == null || raw.isEmpty()) {
            return List.of();
        }
        long stepMillis = step.toMillis();
        long origin = since.toEpochMilli();
        Map<Long, Bucket> buckets = new TreeMap<>();
        for (String member : raw) {
            Point point = json.readValue(member, Point.class);
            long start = origin + ((point.t() - origin) / stepMillis) * stepMillis;
            buckets.computeIfAbsent(start, Bucket::new).add(point);
        }
        return buckets.values().stream().map(Bucket::point).toList();
    }

    /**
     * One stored or downsampled point. Short field names: a day of 10-second polls is 8,640 of
     * them per instance.
     *
     * @param t  start of the point (ms since the epoch)
     * @param s  status (the worst in the step)
     * @param u  share of polls that found the instance up, 0..1
     * @param n  polls in the step
     * @param l  mean probe latency, ms
     * @param f  mean figures
     */
    public record Point(long t, Status s, double u, int n, Long l, Map<String, Double> f) {

        public static Point of(Sample sample) {
            return new Point(sample.at(), sample.status(), sample.up() ? 1 : 0, 1, sample.latencyMs(), figures(sample.figures()));
        }

        private static Map<String, Double> figures(Figures figures) {
            if (figures == null) {
                return null;
            }
            Map<String, Double> map = new LinkedHashMap<>();
            put(map, "cpuProcess", figures.cpuProcess());
            put(map, "cpuSystem", figures.cpuSystem());
            put(map, "heapUsed", figures.heapUsed());
            put(map, "heapMax", figures.heapMax());
            put(map, "diskFree", figures.diskFree());
            put(map, "requestRate", figures.requestRate());
            put(map, "errorRate", figures.errorRate());
            put(map, "errorRatio", figures.errorRatio());
            put(map, "p99Ms", figures.p99Ms());
            put(map, "uptimeSeconds", figures.uptimeSeconds());
            put(map, "queueDepth", figures.queueDepth());
            put(map, "running", figures.running());
            return map;
        }

        private static void put(Map<String, Double> map, String name, Double value) {
            if (value != null) {
                map.put(name, value);
            }
        }
    }

    private static final class Bucket {
        private final long start;
        private Status worst = Status.UNKNOWN;
        private double up;
        private int count;
        private long latencySum;
        private int latencyCount;
        private final Map<String, double[]> sums = new LinkedHashMap<>();

        Bucket(long start) {
            this.start = start;
        }

        void add(Point point) {
            worst = Status.worst(worst, point.s() == null ? Status.UNKNOWN : point.s());
            up += point.u() * point.n();
            count += point.n();
            if (point.l() != null) {
                latencySum += point.l();
                latencyCount++;
            }
            if (point.f() != null) {
                point.f().forEach((name, value) -> {
                    double[] sum = sums.computeIfAbsent(name, n -> new double[2]);
                    sum[0] += value;
                    sum[1]++;
                });
            }
        }

        Point point() {
            Map<String, Double> means = new LinkedHashMap<>();
            sums.forEach((name, sum) -> means.put(name, sum[0] / sum[1]));
            return new Point(start, worst, count == 0 ? 0 : up / count, count,
                    latencyCount == 0 ? null : latencySum / latencyCount, means.isEmpty() ? null : means);
        }
    }
}
