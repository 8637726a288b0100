package dev.ghost.ml.anomaly;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import dev.ghost.ml.MlProperties;
import dev.ghost.ml.predict.HoltForecaster;
import dev.ghost.ml.predict.PredictionService;
import dev.ghost.ml.signal.Severity;
import dev.ghost.ml.signal.Signal;
import dev.ghost.ml.signal.SignalKind;
import dev.ghost.ml.signal.SignalPublisher;

/**
 * Every series the monitor watches (metric samples per instance and figure, template counts per
 * minute, failure rates per target) with its own online detector and forecaster; the least
 * recently updated series is forgotten beyond {@code ghost.ml.max-series}. Points must arrive in
 * time order per series; a late point is ignored rather than corrupting the model.
 */
@Component
public class SeriesMonitor {

    private final SignalPublisher signals;
    private final PredictionService predictions;
    private final BurstDetector bursts;
    private final double threshold;
    private final Map<String, Series> series;

    public SeriesMonitor(SignalPublisher signals, PredictionService predictions, BurstDetector bursts,
            MlProperties ml, MeterRegistry meters) {
        int maxSeries = ml.maxSeries();
        this.signals = signals;
        this.predictions = predictions;
        this.bursts = bursts;
        this.threshold = ml.anomaly().threshold();
        this.series = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Series> eldest) {
                return size() > maxSeries;
            }
        };
        Gauge.builder("ghost.ml.series", this, SeriesMonitor::size).register(meters);
    }

    private static final class Series {
        final AnomalyDetector detector = EnsembleDetector.standard();
        final HoltForecaster forecaster = new HoltForecaster();
        long lastTimestamp = Long.MIN_VALUE;
    }

    public synchronized int size() {
        return series.size();
    }

    /** Scores a new point of {@code name}; {@code labels} (source, instance, figure, ...) go into any signal. */
    public void observe(String name, Map<String, String> labels, Instant time, double value) {
        double score;
        HoltForecaster forecaster;
        synchronized (this) {
            Series state = series.computeIfAbsent(name, n -> new Series());
            long t = time.toEpochMilli();
            if (t < state.lastTimestamp || !Double.isFinite(value)) {
                return;
            }
            state.lastTimestamp = t;
            score = state.detector.score(t, value);
            state.forecaster.observe(t, value);
            forecaster = state.forecaster.copy();
        }
        if (score >= threshold) {
            Map<String, String> signalLabels = new LinkedHashMap<>(labels);
            signalLabels.put("series", name);
            String source = labels.getOrDefault("source", labels.getOrDefault("instance", name));
            signals.publish(Signal.of(SignalKind.ANOMALY, score >= EnsembleDetector.CRITICAL_THRESHOLD ? Severity.CRITICAL : Severity.WARNING, score,
                    String.format("%s: unusual value %.4g", name, value), signalLabels,
                    List.of("/anomalies?source=" + source), time, Map.of("value", value)));
            bursts.record(source, time, "anomalies");
        }
        predictions.update(name, labels, forecaster, time);
    }
}
