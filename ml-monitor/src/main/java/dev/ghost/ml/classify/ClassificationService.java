package dev.ghost.ml.classify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.ml.MlKeys;
import dev.ghost.ml.anomaly.SeriesMonitor;
import dev.ghost.ml.signal.Severity;
import dev.ghost.ml.signal.Signal;
import dev.ghost.ml.signal.SignalKind;
import dev.ghost.ml.signal.SignalPublisher;

/**
 * Classifies failures (failed patch steps, ERROR lines) and publishes each as a signal, and keeps
 * a failures-per-hour series per type ({@code failure-type:<type>}, watched and forecast like any
 * other); learns
 * from feedback, which is also kept in Redis (capped) and replayed at start, so what admins
 * taught survives restarts.
 */
@Component
public class ClassificationService {

    static final long MAX_FEEDBACK = 10_000;

    /** Decay time of the per-type failure rate: about the last hour counts. */
    static final double RATE_WINDOW_HOURS = 1.0;

    private final FailureClassifier classifier;
    private final SignalPublisher signals;
    private final SeriesMonitor series;
    private final Map<FailureType, double[]> rates = new java.util.EnumMap<>(FailureType.class);
    private final StringRedisTemplate redis;
    private final JsonMapper json;

    public ClassificationService(FailureClassifier classifier, SignalPublisher signals, SeriesMonitor series,
            StringRedisTemplate redis, JsonMapper json) {
        this.classifier = classifier;
        this.signals = signals;
        this.series = series;
        this.redis = redis;
        this.json = json;
    }

    @PostConstruct
    void replayFeedback() {
        List<String> stored = redis.opsForList().range(MlKeys.FEEDBACK, 0, -1);
        if (stored != null) {
            stored.forEach(item -> classifier.learn(json.readValue(item, FailureClassifier.Example.class)));
        }
    }

    public FailureClassifier.Prediction classify(String text) {
        return classifier.classify(text);
    }

    /** Classifies a failure and publishes it; {@code labels} say where it happened (source, target, patch...). */
    public Signal classifyAndPublish(String text, Map<String, String> labels, Instant time) {
        FailureClassifier.Prediction prediction = classifier.classify(text);
        Map<String, String> signalLabels = new LinkedHashMap<>(labels);
        signalLabels.put("failureType", prediction.type().label());
        String where = labels.getOrDefault("target", labels.getOrDefault("source", "?"));
        Signal signal = Signal.of(SignalKind.FAILURE, Severity.WARNING, prediction.probability(),
                String.format("%s failure in %s (p=%.2f): %s", prediction.type().label(), where, prediction.probability(),
                        text.length() > 160 ? text.substring(0, 157) + "..." : text),
                signalLabels, List.of("/classifications?source=" + labels.getOrDefault("source", "")), time,
                Map.of("probability", prediction.probability(), "text", text.length() > 2000 ? text.substring(0, 2000) : text));
        signals.publish(signal);
        series.observe("failure-type:" + prediction.type().label(), Map.of("source", "failures", "failureType", prediction.type().label()),
                time, ratePerHour(prediction.type(), time));
        return signal;
    }

    /** Failures of this type per hour, exponentially decayed: a series to watch and forecast. */
    private synchronized double ratePerHour(FailureType type, Instant time) {
        double[] state = rates.computeIfAbsent(type, t -> new double[] {0, time.toEpochMilli()});
        double hours = Math.max(0, (time.toEpochMilli() - state[1]) / 3_600_000.0);
        state[0] = state[0] * Math.exp(-hours / RATE_WINDOW_HOURS) + 1 / RATE_WINDOW_HOURS;
        state[1] = Math.max(state[1], time.toEpochMilli());
        return state[0];
    }

    /** Adds labelled examples; they take effect at once. Returns how many examples the model now has. */
    public int learn(List<FailureClassifier.Example> examples) {
        for (FailureClassifier.Example example : examples) {
            redis.opsForList().rightPush(MlKeys.FEEDBACK, json.writeValueAsString(example));
        }
        redis.opsForList().trim(MlKeys.FEEDBACK, -MAX_FEEDBACK, -1);
        examples.forEach(classifier::learn);
        return classifier.size();
    }
}
