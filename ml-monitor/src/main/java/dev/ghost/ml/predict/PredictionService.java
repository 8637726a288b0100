package dev.ghost.ml.predict;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import dev.ghost.ml.MlProperties;
import dev.ghost.ml.MlProperties.Rule;
import dev.ghost.ml.signal.Severity;
import dev.ghost.ml.signal.Signal;
import dev.ghost.ml.signal.SignalKind;
import dev.ghost.ml.signal.SignalPublisher;

/**
 * Threshold crossings ahead: for every series a rule covers (by name pattern: disk and heap
 * usage, failure rates...), after each point, when will the forecast cross the threshold? A
 * crossing within the horizon is kept (listed by {@code GET /predictions}) and signalled once
 * when it first appears; it disappears when the trend turns.
 */
@Component
public class PredictionService {

    /** A forecast crossing: which series, when, and the forecast with its interval at that time. */
    public record Prediction(String series, Map<String, String> labels, String description, double threshold, boolean falling,
            double current, double trendPerHour, Instant crossingAt, long minutesToThreshold, double expectedAtHorizon,
            double lowAtHorizon, double highAtHorizon, Instant updatedAt) {
    }

    private final List<CompiledRule> rules;
    private final long horizonMs;
    private final SignalPublisher signals;
    private final Map<String, Prediction> current = new ConcurrentHashMap<>();

    record CompiledRule(Pattern pattern, Rule rule) {
    }

    public PredictionService(MlProperties ml, SignalPublisher signals) {
        this.rules = ml.predict().rules().stream().map(r -> new CompiledRule(Pattern.compile(r.pattern()), r)).toList();
        this.horizonMs = ml.predict().horizon().toMillis();
        this.signals = signals;
    }

    /** Re-evaluates {@code series} after a new point; {@code now} is that point's time. */
    public void update(String series, Map<String, String> labels, HoltForecaster forecaster, Instant now) {
        CompiledRule match = rules.stream().filter(r -> r.pattern.matcher(series).matches()).findFirst().orElse(null);
        if (match == null || forecaster.observations() < 5) {
            return;
        }
        Rule rule = match.rule;
        long eta = forecaster.timeToThreshold(rule.threshold(), !rule.falling(), horizonMs);
        if (eta < 0) {
            current.remove(series);
            return;
        }
        HoltForecaster.Forecast atHorizon = forecaster.forecast(horizonMs);
        Prediction prediction = new Prediction(series, labels, rule.description(), rule.threshold(), rule.falling(),
                forecaster.level(), forecaster.trendPerHour(), now.plusMillis(eta), Math.round(eta / 60_000.0),
                atHorizon.expected(), atHorizon.low(), atHorizon.high(), now);
        Prediction previous = current.put(series, prediction);
        if (previous == null) {
            String summary = String.format("%s %s heading %s %s: ~%d min to go (now %.3g, %+.3g/h)", rule.description(), series,
                    rule.falling() ? "below" : "past", format(rule.threshold()), prediction.minutesToThreshold(),
                    prediction.current(), prediction.trendPerHour());
            Map<String, String> signalLabels = new LinkedHashMap<>(labels);
            signalLabels.put("series", series);
            signals.publish(Signal.of(SignalKind.PREDICTION, eta <= horizonMs / 4 ? Severity.CRITICAL : Severity.WARNING,
                    1.0 - (double) eta / horizonMs, summary, signalLabels, List.of("/predictions"), now,
                    Map.of("crossingAt", prediction.crossingAt().toString(), "minutesToThreshold", prediction.minutesToThreshold(),
                            "threshold", rule.threshold())));
        }
    }

    /** Crossings predicted within the horizon from now, soonest first. */
    public List<Prediction> upcoming(Instant now) {
        List<Prediction> list = new ArrayList<>();
        for (Prediction p : current.values()) {
            if (!p.crossingAt().isAfter(now.plusMillis(horizonMs)) && p.updatedAt().isAfter(now.minusMillis(horizonMs))) {
                list.add(p);
            }
        }
        list.sort(Comparator.comparing(Prediction::crossingAt));
        return list;
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
