package dev.ghost.ml.anomaly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The streaming-anomaly scoring of the Numenta Anomaly Benchmark, standard profile, written from
 * its published description: a window of 10% of the series length (split evenly between the
 * labelled anomalies) is centred on each label; the first detection inside a window earns a
 * scaled sigmoid of its position (about 1 at the window start, 0 at its end); every detection
 * outside windows costs 0.11 times the sigmoid of its distance past the last window (a full 0.11
 * far from any window); a window without detection costs 1; the first 15% of each series is a
 * probation period and is not scored. One threshold for all series, the best one, as NAB does;
 * reported normalised: 100 = every window detected at its start, 0 = nothing detected.
 */
public final class NabScorer {

    static final double TP_WEIGHT = 1.0;
    static final double FP_WEIGHT = 0.11;
    static final double FN_WEIGHT = 1.0;
    static final double PROBATION = 0.15;

    private NabScorer() {
    }

    /** A series with its labelled anomaly indexes and a detector's scores for it. */
    public record Scored(String name, int length, int[] labels, double[] scores) {
    }

    /** Normalised score and the threshold it was reached at. */
    public record Result(double score, double threshold) {
    }

    /** The best normalised score over thresholds, and that threshold. */
    public static Result best(List<Scored> series) {
        List<Prepared> prepared = series.stream().map(Prepared::new).toList();
        double[] candidates = thresholds(series);
        double bestRaw = Double.NEGATIVE_INFINITY;
        double bestThreshold = 1.0;
        for (double threshold : candidates) {
            double raw = 0;
            for (Prepared p : prepared) {
                raw += p.raw(threshold);
            }
            if (raw > bestRaw) {
                bestRaw = raw;
                bestThreshold = threshold;
            }
        }
        int windows = prepared.stream().mapToInt(p -> p.windowStart.length).sum();
        double nullScore = -FN_WEIGHT * windows;
        double perfect = TP_WEIGHT * windows;
        return new Result(100 * (bestRaw - nullScore) / (perfect - nullScore), bestThreshold);
    }

    /** The normalised score at one given threshold. */
    public static double at(List<Scored> series, double threshold) {
        double raw = 0;
        int windows = 0;
        for (Scored s : series) {
            Prepared p = new Prepared(s);
            raw += p.raw(threshold);
            windows += p.windowStart.length;
        }
        return 100 * (raw + FN_WEIGHT * windows) / ((TP_WEIGHT + FN_WEIGHT) * windows);
    }

    private static double[] thresholds(List<Scored> series) {
        List<Double> all = new ArrayList<>();
        for (Scored s : series) {
            for (double v : s.scores) {
                if (v > 0) {
                    all.add(v);
                }
            }
        }
        double[] sorted = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] grid = new double[400];
        for (int i = 0; i < grid.length; i++) {
            double q = 1 - Math.pow(10, -4.0 * (i + 1) / grid.length);
            grid[i] = sorted.length == 0 ? 1.0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
        }
        double[] withFixed = Arrays.copyOf(grid, grid.length + 100);
        for (int i = 0; i < 100; i++) {
            withFixed[grid.length + i] = (i + 0.5) / 100.0;
        }
        return Arrays.stream(withFixed).distinct().toArray();
    }

    static double scaledSigmoid(double relativePosition) {
        if (relativePosition > 3.0) {
            return -1.0;
        }
        return 2.0 / (1.0 + Math.exp(5.0 * relativePosition)) - 1.0;
    }

    private static final class Prepared {
        final double[] scores;
        final double[] weight;
        final int[] windowOf;
        final int[] windowStart;
        final int probation;

        Prepared(Scored s) {
            scores = s.scores;
            int n = s.length;
            probation = (int) Math.floor(PROBATION * n);
            int count = s.labels.length;
            int[] starts = new int[count];
            int[] ends = new int[count];
            if (count > 0) {
                int width = Math.max(1, (int) Math.round(0.10 * n / count));
                for (int w = 0; w < count; w++) {
                    starts[w] = Math.max(0, s.labels[w] - width / 2);
                    ends[w] = Math.min(n - 1, s.labels[w] + width / 2);
                }
            }
            windowStart = starts;
            windowOf = new int[n];
            weight = new double[n];
            Arrays.fill(windowOf, -1);
            double maxTp = scaledSigmoid(-1.0);
            int previousEnd = -1;
            int previousWidth = 0;
            int w = 0;
            for (int i = 0; i < n; i++) {
                while (w < count && i > ends[w]) {
                    previousEnd = ends[w];
                    previousWidth = ends[w] - starts[w] + 1;
                    w++;
                }
                if (w < count && i >= starts[w]) {
                    int width = ends[w] - starts[w] + 1;
                    weight[i] = scaledSigmoid(-(double) (ends[w] - i + 1) / width) * TP_WEIGHT / maxTp;
                    windowOf[i] = w;
                } else if (previousEnd < 0) {
                    weight[i] = -1.0 * FP_WEIGHT;
                } else {
                    weight[i] = scaledSigmoid(Math.abs(previousEnd - i) / Math.max(1.0, previousWidth - 1.0)) * FP_WEIGHT;
                }
            }
        }

        double raw(double threshold) {
            boolean[] detected = new boolean[windowStart.length];
            double total = 0;
            for (int i = probation; i < scores.length; i++) {
                if (scores[i] >= threshold) {
                    int w = windowOf[i];
                    if (w < 0) {
                        total += weight[i];
                    } else if (!detected[w]) {
                        detected[w] = true;
                        total += weight[i];
                    }
                }
            }
            for (int w = 0; w < detected.length; w++) {
                if (!detected[w] && windowStart[w] + 1 > 0) {
                    total -= FN_WEIGHT;
                }
            }
            return total;
        }
    }
}
