package dev.ghost.ml.anomaly;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Runs a detector over the generated suite and scores it the NAB way. */
public final class SuiteRunner {

    private SuiteRunner() {
    }

    public static List<NabScorer.Scored> run(List<GeneratedSuite.Series> suite, Supplier<AnomalyDetector> detectors) {
        List<NabScorer.Scored> scored = new ArrayList<>();
        for (GeneratedSuite.Series series : suite) {
            AnomalyDetector detector = detectors.get();
            double[] scores = new double[series.values().length];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = detector.score(series.timestamps()[i], series.values()[i]);
            }
            scored.add(new NabScorer.Scored(series.name(), scores.length, series.labels(), scores));
        }
        return scored;
    }

    /** Per anomaly kind: windows detected; and false positives per series, at {@code threshold}. */
    public static String diagnose(List<GeneratedSuite.Series> suite, List<NabScorer.Scored> scored, double threshold) {
        java.util.Map<String, int[]> kinds = new java.util.TreeMap<>();
        StringBuilder fps = new StringBuilder();
        for (int s = 0; s < suite.size(); s++) {
            GeneratedSuite.Series series = suite.get(s);
            double[] scores = scored.get(s).scores();
            int n = scores.length;
            int width = series.labels().length == 0 ? 0 : (int) Math.round(0.1 * n / series.labels().length);
            boolean[] inWindow = new boolean[n];
            for (int a = 0; a < series.labels().length; a++) {
                int label = series.labels()[a];
                int detectedAt = -1;
                for (int i = Math.max(0, label - width / 2); i <= Math.min(n - 1, label + width / 2); i++) {
                    inWindow[i] = true;
                    if (detectedAt < 0 && scores[i] >= threshold) {
                        detectedAt = i;
                    }
                }
                int[] counts = kinds.computeIfAbsent(series.kinds()[a], k -> new int[3]);
                counts[0]++;
                if (detectedAt >= 0) {
                    counts[1]++;
                    counts[2] += detectedAt - label;
                }
            }
            int fp = 0;
            for (int i = (int) (0.15 * n); i < n; i++) {
                if (!inWindow[i] && scores[i] >= threshold) {
                    fp++;
                }
            }
            if (fp > 0) {
                fps.append(series.name()).append('=').append(fp).append(' ');
            }
        }
        StringBuilder out = new StringBuilder();
        kinds.forEach((kind, c) -> out.append(String.format("%s %d/%d (mean delay %.0f) ", kind, c[1], c[0], c[1] == 0 ? 0.0 : (double) c[2] / c[1])));
        return out + "\n  FPs: " + fps;
    }

    /** Members' surprises combined by {@code combination}, through the alarm-rate discount ({@code discount}), onset filter ({@code onsets}) and score. */
    interface Combination {
        double surprise(double rare, double residual, double sustained, double novel, double frozen);
    }

    static Supplier<AnomalyDetector> variant(Combination combination, boolean discount, boolean onsets) {
        return () -> {
            ValueRarityDetector rarity = new ValueRarityDetector();
            SeasonalResidualDetector seasonal = new SeasonalResidualDetector();
            ContextNoveltyDetector context = new ContextNoveltyDetector();
            StuckDetector stuck = new StuckDetector();
            AlarmRate alarmRate = new AlarmRate(EnsembleDetector.ALARM_SURPRISE);
            OnsetFilter filter = EnsembleDetector.onsetFilter();
            return (t, v) -> {
                double residual = seasonal.surprise(t, v);
                double combined = combination.surprise(rarity.surprise(t, v), residual, seasonal.sustained(), context.surprise(t, v), stuck.surprise(t, v));
                double surprise = discount ? alarmRate.discount(combined) : combined;
                return EnsembleDetector.score(onsets ? filter.filter(surprise) : surprise);
            };
        };
    }

    /** Each member alone and the ensemble without each of its parts, on the generated suite. */
    static java.util.Map<String, Supplier<AnomalyDetector>> variants() {
        java.util.Map<String, Supplier<AnomalyDetector>> detectors = new java.util.LinkedHashMap<>();
        detectors.put("windowed Gaussian (baseline)", () -> new WindowedGaussianDetector(1000));
        detectors.put("value rarity alone", variant((rare, residual, sustained, novel, frozen) -> rare, true, true));
        detectors.put("seasonal residual alone", variant((rare, residual, sustained, novel, frozen) -> Math.max(residual, sustained), true, true));
        detectors.put("context novelty alone", variant((rare, residual, sustained, novel, frozen) -> novel, true, true));
        detectors.put("stuck values alone", variant((rare, residual, sustained, novel, frozen) -> frozen, true, true));
        detectors.put("standard without the context gate", variant((rare, residual, sustained, novel, frozen) ->
                EnsembleDetector.combine(rare, residual, sustained, Double.POSITIVE_INFINITY, frozen), true, true));
        detectors.put("standard without the stuck detector", variant((rare, residual, sustained, novel, frozen) ->
                EnsembleDetector.combine(rare, residual, sustained, novel, 0), true, true));
        detectors.put("standard without the alarm-rate discount", variant(EnsembleDetector::combine, false, true));
        detectors.put("standard without the onset filter", variant(EnsembleDetector::combine, true, false));
        detectors.put("standard", EnsembleDetector::standard);
        return detectors;
    }

    public static void main(String[] args) {
        List<GeneratedSuite.Series> suite = GeneratedSuite.suite(Long.getLong("seed", 42), Integer.getInteger("count", 60));
        variants().forEach((name, factory) -> {
            List<NabScorer.Scored> scored = run(suite, factory);
            var r = NabScorer.best(scored);
            System.out.printf("%-52s %5.1f  (threshold %.6f)%n", name, r.score(), r.threshold());
            if (Boolean.getBoolean("diagnose")) {
                System.out.println("  " + diagnose(suite, scored, r.threshold()));
            }
        });
    }
}
