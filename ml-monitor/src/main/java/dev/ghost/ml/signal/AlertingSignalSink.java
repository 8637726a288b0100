package dev.ghost.ml.signal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ghost.alerting.AlertIntake;
import dev.ghost.alerting.AlertSignal;
import dev.ghost.alerting.Link;

/**
 * The ML monitor's signals into alerting: anomalies, bursts, predictions, new templates and
 * classified failures become signals named {@code ml.<kind>} ({@code ml.anomaly},
 * {@code ml.burst}, {@code ml.prediction}, {@code ml.new-template}, {@code ml.failure}) with the
 * score as value; their labels are the subject, minus what changes from one occurrence to the
 * next (so a series that keeps misbehaving stays one alert). Returns at once, as the sink
 * contract asks: alerting applies them on its own thread.
 */
public class AlertingSignalSink implements AlertSink {

    private static final Logger log = LoggerFactory.getLogger(AlertingSignalSink.class);
    /** Labels that differ per occurrence; kept as annotations instead of identity. */
    static final Set<String> VOLATILE = Set.of("patchId", "status", "failureType");
    /** "12 health failures from runner-service within 5 min": what the burst counted. */
    private static final Pattern BURST_OF = Pattern.compile("^\\d+ (.+?) from ");

    private final AlertIntake alerting;
    private final String publicUrl;

    /** @param publicUrl how people reach this ml-monitor: evidence paths become links under it */
    public AlertingSignalSink(AlertIntake alerting, String publicUrl) {
        this.alerting = alerting;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    @Override
    public void accept(Signal signal) {
        try {
            alerting.submit(List.of(convert(signal)));
        } catch (RuntimeException e) {
            log.warn("Signal {} not handed to alerting: {}", signal.id(), e.getMessage());
        }
    }

    public AlertSignal convert(Signal signal) {
        Map<String, String> subject = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        signal.labels().forEach((name, value) -> (VOLATILE.contains(name) ? annotations : subject).put(name, value));
        if ((signal.kind() == SignalKind.BURST || signal.kind() == SignalKind.NEW_TEMPLATE) && !subject.containsKey("service")
                && subject.containsKey("source")) {
            subject.put("service", subject.get("source")); // log and health sources are named by service
        }
        if (signal.kind() == SignalKind.BURST) {
            Matcher of = BURST_OF.matcher(signal.summary());
            subject.put("events", of.find() ? of.group(1) : "events");
        }
        annotations.put("summary", signal.summary());
        annotations.put("hint", signal.severity().name().toLowerCase());
        switch (signal.kind()) {
            case FAILURE -> {
                annotations.put(AlertSignal.CAUSE, signal.label("failureType"));
                annotations.put(AlertSignal.CAUSE_PROBABILITY, String.valueOf(signal.score()));
            }
            case PREDICTION -> annotations.put("prediction", signal.summary());
            case NEW_TEMPLATE -> annotations.put("template", String.valueOf(signal.details().getOrDefault("template", "")));
            case BURST -> annotations.put("detail", signal.details().getOrDefault("count", "?") + " events in "
                    + signal.details().getOrDefault("windowMinutes", "?") + " min (threshold "
                    + signal.details().getOrDefault("threshold", "?") + ")");
            case ANOMALY -> annotations.put("detail", "value " + signal.details().getOrDefault("value", "?") + ", score "
                    + String.format("%.5f", signal.score()));
            default -> {
            }
        }
        List<Link> links = new ArrayList<>();
        for (String path : signal.evidence()) {
            links.add(new Link(title(path), path.startsWith("http") ? path : publicUrl + path));
        }
        return new AlertSignal("ml." + signal.kind().key(), subject, signal.score(), annotations, links, List.of(),
                signal.observedAt(), signal.id());
    }

    private static String title(String path) {
        String resource = path.replaceFirst("^https?://[^/]+", "").replaceFirst("^/", "").replaceFirst("[?/].*$", "");
        return switch (resource) {
            case "anomalies" -> "Anomaly";
            case "templates" -> "Templates";
            case "predictions" -> "Prediction";
            case "classifications" -> "Classifications";
            default -> resource.isEmpty() ? "Evidence" : resource;
        };
    }
}
