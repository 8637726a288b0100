package dev.ghost.ml.ingest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.ghost.common.event.GhostEvent;
import dev.ghost.ml.anomaly.BurstDetector;
import dev.ghost.ml.anomaly.SeriesMonitor;
import dev.ghost.ml.classify.ClassificationService;
import dev.ghost.ml.templates.TemplateService;

/**
 * What each kind of event means to the monitor.
 * <ul>
 * <li>{@code log.*}: {@code data.message} is mined (source {@code data.service}, else the event's
 * source); level from {@code data.level} or the type ({@code log.error}); ERROR lines are also
 * classified and counted for bursts.</li>
 * <li>{@code metric.sample}: {@code data.name}+{@code data.value}, or every number in
 * {@code data.figures}, become series {@code metric:<instance>:<name>}.</li>
 * <li>{@code patch.*}: a terminal status (from the type or {@code data.status}) updates the
 * target's failure-rate series; failures are classified from {@code data.error} and
 * {@code data.outputTail}.</li>
 * <li>{@code health.*}: DOWN or FLAPPING count as error events of the service, for bursts.</li>
 * </ul>
 */
@Component
public class EventRouter {

    /** Weight of the newest patch in a target's failure rate (about the last ten patches). */
    static final double FAILURE_RATE_WEIGHT = 0.1;

    private final TemplateService templates;
    private final SeriesMonitor series;
    private final ClassificationService classifications;
    private final BurstDetector bursts;
    private final Map<String, Double> failureRates = new ConcurrentHashMap<>();

    public EventRouter(TemplateService templates, SeriesMonitor series, ClassificationService classifications, BurstDetector bursts) {
        this.templates = templates;
        this.series = series;
        this.classifications = classifications;
        this.bursts = bursts;
    }

    public void route(GhostEvent event) {
        String type = event.type().toLowerCase(Locale.ROOT);
        Instant time = event.time() == null ? Instant.now() : event.time();
        Map<String, Object> data = event.data();
        if (type.startsWith("log.")) {
            String source = text(data, "service", text(data, "source", event.source()));
            String level = text(data, "level", type.substring(4)).toUpperCase(Locale.ROOT);
            String message = text(data, "message", "");
            if (!message.isEmpty()) {
                log(source, level, message, time);
            }
        } else if (type.equals("metric.sample")) {
            String instance = text(data, "instance", event.source());
            String service = text(data, "service", "");
            if (data.get("figures") instanceof Map<?, ?> figures) {
                figures.forEach((name, value) -> metric(instance, service, String.valueOf(name), value, time));
            } else {
                metric(instance, service, text(data, "name", text(data, "figure", "value")), data.get("value"), time);
            }
        } else if (type.startsWith("patch.")) {
            patch(type, data, event.source(), time);
        } else if (type.startsWith("health.")) {
            String status = text(data, "status", type.substring(type.lastIndexOf('.') + 1)).toUpperCase(Locale.ROOT);
            if (status.equals("DOWN") || status.equals("FLAPPING")) {
                bursts.record(text(data, "service", event.source()), time, "health failures");
            }
        }
    }

    /** One log line of {@code source}; returns its template assignment. */
    public TemplateService.Assigned log(String source, String level, String message, Instant time) {
        boolean error = level.equals("ERROR") || level.equals("FATAL") || level.equals("CRITICAL");
        TemplateService.Assigned assigned = templates.add(source, message, time, error);
        if (error) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("source", source);
            labels.put("template", String.valueOf(assigned.templateId()));
            classifications.classifyAndPublish(message, labels, time);
        }
        return assigned;
    }

    private void metric(String instance, String service, String name, Object value, Instant time) {
        double number = value instanceof Number n ? n.doubleValue() : parse(value);
        if (!Double.isFinite(number)) {
            return;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("source", instance);
        labels.put("instance", instance);
        labels.put("figure", name);
        if (!service.isEmpty()) {
            labels.put("service", service);
        }
        series.observe("metric:" + instance + ":" + name, labels, time, number);
    }

    private void patch(String type, Map<String, Object> data, String runner, Instant time) {
        String status = text(data, "status", type.substring("patch.".length())).toUpperCase(Locale.ROOT).replace('-', '_');
        boolean failed = status.equals("FAILED") || status.equals("TIMED_OUT") || status.equals("LOST");
        boolean terminal = failed || status.equals("SUCCEEDED");
        if (!terminal) {
            return;
        }
        String target = text(data, "target", "default");
        double rate = failureRates.merge(target, failed ? 1.0 : 0.0,
                (old, now) -> old + FAILURE_RATE_WEIGHT * (now - old));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("source", "target:" + target);
        labels.put("target", target);
        series.observe("failure-rate:" + target, labels, time, rate);
        if (failed) {
            String evidence = String.join("\n", text(data, "error", ""), text(data, "outputTail", "")).trim();
            labels.put("source", runner);
            labels.put("patchId", text(data, "patchId", text(data, "id", "")));
            labels.put("status", status);
            classifications.classifyAndPublish(evidence.isEmpty() ? status.toLowerCase(Locale.ROOT) : evidence, labels, time);
        }
    }

    private static String text(Map<String, Object> data, String key, String fallback) {
        Object value = data.get(key);
        return value == null || String.valueOf(value).isBlank() ? fallback : String.valueOf(value);
    }

    private static double parse(Object value) {
        try {
            return value == null ? Double.NaN : Double.parseDouble(String.valueOf(value));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
