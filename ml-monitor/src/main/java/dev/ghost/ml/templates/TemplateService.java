package dev.ghost.ml.templates;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.ml.MlKeys;
import dev.ghost.ml.MlProperties;
import dev.ghost.ml.anomaly.BurstDetector;
import dev.ghost.ml.anomaly.SeriesMonitor;
import dev.ghost.ml.signal.Severity;
import dev.ghost.ml.signal.Signal;
import dev.ghost.ml.signal.SignalKind;
import dev.ghost.ml.signal.SignalPublisher;

/**
 * Log lines of every source through that source's {@link TemplateMiner}: templates persisted in
 * Redis (restored on first use after a restart, under their ids), per-template counts per minute
 * fed as series to the {@link SeriesMonitor} (at the next line or the next minute tick), a signal for a template first seen after the
 * source's warm-up, error lines counted for bursts. Sources beyond the cap are forgotten least
 * recently used first.
 */
@Component
@EnableConfigurationProperties(TemplateService.Overrides.class)
public class TemplateService {

    /** A source's first lines all make new templates; only after these is a new one news. */
    static final int WARM_UP_LINES = 200;

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final SeriesMonitor series;
    private final BurstDetector bursts;
    private final SignalPublisher signals;
    private final int maxSources;
    private final Map<String, Source> sources;
    private final Overrides overrides;

    /**
     * {@code ghost.ml.templates.overrides.<source>.similarity / prefix-depth / max-clusters}: per-source
     * settings. The default suits every system we measured; these exist for the odd one out.
     */
    @ConfigurationProperties("ghost.ml.templates")
    public record Overrides(Map<String, Override> overrides) {
        public Overrides {
            overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
        }

        MinerSettings settingsFor(String source) {
            Override o = overrides.get(source);
            if (o == null) {
                return MinerSettings.DEFAULT;
            }
            MinerSettings settings = MinerSettings.DEFAULT;
            settings = o.similarity() == null ? settings : settings.withSimilarity(o.similarity());
            settings = o.prefixDepth() == null ? settings : settings.withPrefixDepth(o.prefixDepth());
            return o.maxClusters() == null ? settings : settings.withMaxClusters(o.maxClusters());
        }
    }

    public record Override(Double similarity, Integer prefixDepth, Integer maxClusters) {
    }

    public TemplateService(StringRedisTemplate redis, JsonMapper json, SeriesMonitor series, BurstDetector bursts,
            SignalPublisher signals, MlProperties ml, Overrides overrides) {
        this.overrides = overrides;
        this.redis = redis;
        this.json = json;
        this.series = series;
        this.bursts = bursts;
        this.signals = signals;
        this.maxSources = ml.maxSources();
        this.sources = new LinkedHashMap<>(64, 0.75f, true);
    }

    /** A template as the API shows it. */
    public record TemplateView(String source, int id, String template, long count, Instant firstSeen, Instant lastSeen) {
    }

    /** Result of one line: its source, template id and text, and whether the template is new. */
    public record Assigned(String source, int templateId, String template, boolean created) {
    }

    private final class Source {
        final String name;
        final TemplateMiner miner;
        final Map<Integer, Integer> minuteCounts = new HashMap<>();
        final Map<Integer, Long> lastActiveMinute = new HashMap<>();
        long minute = Long.MIN_VALUE;
        long lines;

        Source(String name, MinerSettings settings) {
            this.name = name;
            this.miner = new TemplateMiner(settings);
        }
    }

    /** Mines one line; {@code error} lines (ERROR/FATAL level) also count towards bursts. */
    public Assigned add(String sourceName, String message, Instant time, boolean error) {
        List<Runnable> after = new ArrayList<>();
        Assigned assigned;
        synchronized (this) {
            Source source = source(sourceName);
            long minute = time.toEpochMilli() / 60_000;
            if (source.minute != Long.MIN_VALUE && minute > source.minute) {
                after.addAll(closeMinutes(source, minute));
            }
            source.minute = Math.max(source.minute, minute);
            TemplateMiner.Match match = source.miner.add(message, time.toEpochMilli());
            LogCluster cluster = match.cluster();
            source.lines++;
            source.minuteCounts.merge(cluster.id(), 1, Integer::sum);
            source.lastActiveMinute.put(cluster.id(), minute);
            if (match.created() || match.changed()) {
                persist(source.name, cluster);
            }
            if (match.created() && source.lines > WARM_UP_LINES) {
                String template = cluster.template();
                after.add(() -> signals.publish(Signal.of(SignalKind.NEW_TEMPLATE, error ? Severity.WARNING : Severity.INFO,
                        error ? 0.9 : 0.5, "New log template in " + sourceName + ": " + abbreviate(template),
                        Map.of("source", sourceName, "template", String.valueOf(cluster.id())),
                        List.of("/templates?source=" + sourceName), time, Map.of("template", template, "example", abbreviate(message)))));
            }
            assigned = new Assigned(sourceName, cluster.id(), cluster.template(), match.created());
        }
        after.forEach(Runnable::run);
        if (error) {
            bursts.record(sourceName, time, "error lines");
        }
        return assigned;
    }

    /**
     * Once a minute, the minutes that ended without a further line still become points, so a
     * source that falls silent after a burst is scored too.
     */
    @Scheduled(fixedDelayString = "${ghost.ml.templates.tick:60s}", initialDelayString = "${ghost.ml.templates.tick:60s}")
    public void closeIdleMinutes() {
        long now = System.currentTimeMillis() / 60_000;
        List<Runnable> points = new ArrayList<>();
        synchronized (this) {
            for (Source source : sources.values()) {
                if (source.minute != Long.MIN_VALUE && source.minute < now) {
                    points.addAll(closeMinutes(source, now));
                    source.minute = now;
                }
            }
        }
        points.forEach(Runnable::run);
    }

    /** Templates of a source, most frequent first (restored from Redis if this instance has not seen the source yet). */
    public synchronized List<TemplateView> templates(String sourceName) {
        Source source = source(sourceName);
        return source.miner.clusters().stream()
                .sorted((a, b) -> Long.compare(b.count(), a.count()))
                .map(c -> new TemplateView(source.name, c.id(), c.template(), c.count(),
                        Instant.ofEpochMilli(c.firstSeen()), Instant.ofEpochMilli(c.lastSeen())))
                .toList();
    }

    /** Known sources, most recently active first. */
    public List<String> sourceNames() {
        var names = redis.opsForZSet().reverseRange(MlKeys.TEMPLATE_SOURCES, 0, maxSources - 1);
        return names == null ? List.of() : List.copyOf(names);
    }

    /** Counts of the minutes that ended become points of the per-template series (zeros for recently active templates). */
    private List<Runnable> closeMinutes(Source source, long newMinute) {
        List<Runnable> points = new ArrayList<>();
        long closed = source.minute;
        Instant at = Instant.ofEpochMilli(closed * 60_000);
        source.lastActiveMinute.entrySet().removeIf(e -> e.getValue() < closed - 60);
        for (Integer id : source.lastActiveMinute.keySet()) {
            int count = source.minuteCounts.getOrDefault(id, 0);
            Map<String, String> labels = Map.of("source", source.name, "template", String.valueOf(id));
            points.add(() -> series.observe("template:" + source.name + ":" + id, labels, at, count));
            LogCluster cluster = source.miner.cluster(id);
            if (cluster != null && count > 0) {
                persist(source.name, cluster);
            }
        }
        source.minuteCounts.clear();
        redis.opsForZSet().add(MlKeys.TEMPLATE_SOURCES, source.name, newMinute);
        Long size = redis.opsForZSet().size(MlKeys.TEMPLATE_SOURCES);
        if (size != null && size > maxSources) {
            redis.opsForZSet().removeRange(MlKeys.TEMPLATE_SOURCES, 0, size - maxSources - 1);
        }
        return points;
    }

    private Source source(String name) {
        Source source = sources.get(name);
        if (source == null) {
            source = new Source(name, overrides.settingsFor(name));
            restore(source);
            sources.put(name, source);
            redis.opsForZSet().add(MlKeys.TEMPLATE_SOURCES, name, System.currentTimeMillis() / 60_000.0);
            if (sources.size() > maxSources) {
                sources.remove(sources.keySet().iterator().next());
            }
        }
        return source;
    }

    private void restore(Source source) {
        Map<Object, Object> stored = redis.opsForHash().entries(MlKeys.templates(source.name));
        for (Object value : stored.values()) {
            StoredTemplate t = json.readValue(String.valueOf(value), StoredTemplate.class);
            source.miner.restore(t.id(), t.template(), t.count(), t.firstSeen(), t.lastSeen());
            source.lines += t.count();
        }
    }

    record StoredTemplate(int id, String template, long count, long firstSeen, long lastSeen) {
    }

    private void persist(String source, LogCluster cluster) {
        redis.opsForHash().put(MlKeys.templates(source), String.valueOf(cluster.id()), json.writeValueAsString(
                new StoredTemplate(cluster.id(), cluster.template(), cluster.count(), cluster.firstSeen(), cluster.lastSeen())));
    }

    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }
}
