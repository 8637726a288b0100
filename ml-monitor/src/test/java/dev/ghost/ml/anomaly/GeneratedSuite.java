package dev.ghost.ml.anomaly;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * GHOST's own benchmark of operational-looking time series, generated with known anomalies:
 * CPU-like bounded figures, request rates with daily and weekly seasons, latencies with heavy
 * tails, integer counts, random walks, sensor-like slow cycles; each with spikes, dips, level
 * shifts, drifts, seasonality changes, noise changes, stuck values or drops to zero injected after
 * the probation period, and some series with no anomaly at all. Seeded: the same suite every run.
 */
public final class GeneratedSuite {

    /** One series: timestamps (epoch ms), values, and the indexes where anomalies begin. */
    public record Series(String name, long[] timestamps, double[] values, int[] labels, String[] kinds) {
    }

    enum Base { CPU, TRAFFIC, LATENCY, COUNTS, WALK, SENSOR, FLAT }

    enum Anomaly { SPIKE, DIP, LEVEL_UP, LEVEL_DOWN, DRIFT, SEASON_CHANGE, NOISE_UP, STUCK, ZERO }

    private GeneratedSuite() {
    }

    public static List<Series> suite(long seed, int count) {
        Random random = new Random(seed);
        List<Series> suite = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Base base = Base.values()[i % Base.values().length];
            int anomalies = i % 6 == 5 ? 0 : 1 + random.nextInt(3);
            suite.add(generate(base, anomalies, random, "s" + i + "-" + base.name().toLowerCase()));
        }
        return suite;
    }

    static Series generate(Base base, int anomalyCount, Random r, String name) {
        int n = 2500 + r.nextInt(5500);
        long stepMs = (r.nextInt(3) == 0 ? 60_000L : 300_000L);
        long start = 1_400_000_000_000L + r.nextInt(1_000_000) * 1000L;
        double[] x = new double[n];
        long[] t = new long[n];
        double level = switch (base) {
            case CPU -> 20 + r.nextDouble() * 40;
            case TRAFFIC -> 200 + r.nextDouble() * 5000;
            case LATENCY -> 50 + r.nextDouble() * 300;
            case COUNTS -> 2 + r.nextDouble() * 30;
            case WALK -> 100;
            case SENSOR -> 60 + r.nextDouble() * 30;
            case FLAT -> 10 + r.nextDouble() * 90;
        };
        double dailyAmp = switch (base) {
            case TRAFFIC -> 0.3 + r.nextDouble() * 0.5;
            case CPU, COUNTS -> r.nextDouble() * 0.4;
            case LATENCY -> r.nextDouble() * 0.2;
            default -> 0;
        };
        double weeklyAmp = base == Base.TRAFFIC && r.nextBoolean() ? 0.2 : 0;
        double noise = switch (base) {
            case CPU -> 0.05 + r.nextDouble() * 0.1;
            case TRAFFIC -> 0.03 + r.nextDouble() * 0.08;
            case LATENCY -> 0.1 + r.nextDouble() * 0.2;
            case SENSOR -> 0.01 + r.nextDouble() * 0.02;
            case FLAT -> 0.002;
            default -> 0.05;
        };
        double phase = r.nextDouble() * 2 * Math.PI;
        double walk = 0;
        double sensorPeriod = 200 + r.nextInt(400);

        int[] labels = new int[anomalyCount];
        Anomaly[] kinds = new Anomaly[anomalyCount];
        int probation = (int) (0.15 * n);
        int usable = n - probation - 100;
        for (int a = 0; a < anomalyCount; a++) {
            int slot = usable / anomalyCount;
            labels[a] = probation + 100 + a * slot + r.nextInt(Math.max(1, slot - 150));
            kinds[a] = Anomaly.values()[r.nextInt(Anomaly.values().length)];
        }

        double shift = 0;
        double noiseFactor = 1;
        double seasonFactor = 1;
        double stuckValue = Double.NaN;
        int stuckUntil = -1;
        int zeroUntil = -1;
        double drift = 0;
        double driftRate = 0;
        double spike = 0;
        int spikeUntil = -1;
        for (int i = 0; i < n; i++) {
            t[i] = start + i * stepMs;
            for (int a = 0; a < anomalyCount; a++) {
                if (labels[a] != i) {
                    continue;
                }
                double magnitude = level * noise;
                switch (kinds[a]) {
                    case SPIKE -> { spike = magnitude * (6 + r.nextDouble() * 10) + level * 0.2; spikeUntil = i + r.nextInt(3); }
                    case DIP -> { spike = -Math.min(level * 0.8, magnitude * (6 + r.nextDouble() * 6) + level * 0.2); spikeUntil = i + r.nextInt(3); }
                    case LEVEL_UP -> shift += magnitude * (4 + r.nextDouble() * 6) + level * 0.1;
                    case LEVEL_DOWN -> shift -= Math.min(level * 0.6, magnitude * (4 + r.nextDouble() * 6) + level * 0.1);
                    case DRIFT -> driftRate = (magnitude * (10 + r.nextDouble() * 20) + level * 0.3) / (80 + r.nextInt(150));
                    case SEASON_CHANGE -> { seasonFactor = dailyAmp > 0.1 ? (r.nextBoolean() ? 0 : 2.5) : 1; phase += dailyAmp > 0.1 ? 0 : Math.PI;
                        if (dailyAmp <= 0.1) { sensorPeriod = sensorPeriod / 3; } }
                    case NOISE_UP -> noiseFactor = 4 + r.nextDouble() * 4;
                    case STUCK -> { stuckValue = Double.NaN; stuckUntil = i + 100 + r.nextInt(200); }
                    case ZERO -> zeroUntil = i + 5 + r.nextInt(40);
                }
            }
            drift += driftRate;
            if (Math.abs(drift) > level * 3) {
                driftRate = 0;
            }
            double seconds = t[i] / 1000.0;
            double daily = Math.sin(2 * Math.PI * seconds / 86_400 + phase);
            double weekly = Math.sin(2 * Math.PI * seconds / 604_800);
            double eps = r.nextGaussian();
            double value;
            switch (base) {
                case LATENCY -> {
                    double tail = r.nextDouble() < 0.01 ? Math.abs(r.nextGaussian()) * 3 : 0;
                    value = (level + shift + drift) * (1 + dailyAmp * seasonFactor * daily) * Math.exp(noise * noiseFactor * eps) + level * noise * tail;
                }
                case COUNTS -> {
                    double mean = Math.max(0.1, (level + shift + drift) * (1 + dailyAmp * seasonFactor * daily)) * (noiseFactor > 1 ? Math.exp(0.5 * r.nextGaussian()) : 1);
                    value = poisson(r, mean);
                }
                case WALK -> {
                    walk += r.nextGaussian() * 0.3 * noiseFactor;
                    walk *= 0.999;
                    value = level + walk + shift + drift + eps * 0.5 * noiseFactor;
                }
                case SENSOR -> value = (level + shift + drift) + level * 0.1 * seasonFactor * Math.sin(2 * Math.PI * i / sensorPeriod + phase)
                        + level * noise * noiseFactor * eps;
                default -> value = (level + shift + drift) * (1 + dailyAmp * seasonFactor * daily + weeklyAmp * weekly) + level * noise * noiseFactor * eps;
            }
            if (i <= spikeUntil) {
                value += spike;
            }
            if (i < stuckUntil) {
                if (Double.isNaN(stuckValue)) {
                    stuckValue = value;
                }
                value = stuckValue;
            }
            if (i < zeroUntil) {
                value = 0;
            }
            if (base == Base.CPU) {
                value = Math.max(0, Math.min(100, value));
            } else if (base != Base.WALK && base != Base.SENSOR) {
                value = Math.max(0, value);
            }
            x[i] = base == Base.FLAT || base == Base.CPU ? Math.round(value * 100) / 100.0 : value;
        }
        String[] kindNames = new String[anomalyCount];
        for (int a = 0; a < anomalyCount; a++) {
            kindNames[a] = kinds[a].name().toLowerCase(java.util.Locale.ROOT);
        }
        return new Series(name, t, x, labels, kindNames);
    }

    private static double poisson(Random r, double mean) {
        if (mean > 50) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
        }
        double l = Math.exp(-mean);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }
}
