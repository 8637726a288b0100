package dev.ghost.ml.anomaly;

import java.util.Arrays;

/**
 * Robust z-score of the residual of a seasonal model. The model is a level plus a daily profile
 * plus a weekly profile (each learned by exponential smoothing per time slot, from the
 * timestamps, once a full cycle has been seen, and used only while it predicts better than the
 * level alone). Outliers are clipped before they teach the model, so a spike does not bend it; a
 * run of same-sided outliers is a level shift and the level jumps to it, so the model adapts in a
 * few points instead of alarming for hours. The residual, in units of the series' own typical
 * deviation, is scored at the point and averaged over a few points, the largest left out so one
 * spike is no sustained change ({@link #sustained()}: drifts and noise changes show in the average
 * before any single point stands out); each through a {@link Calibrator}. Sharp patterns that
 * recur at the same time of day (a nightly job's spike, the edge of a square wave) are finer than
 * the 15-minute profile can follow, so each slot also keeps its usual excursion (the largest
 * recent residual there and in the slots beside it, forgotten over about a week), and the point's
 * residual is measured in units of that excursion where it exceeds the typical deviation.
 */
final class SeasonalResidualDetector implements SurpriseDetector {

    static final int DAY_SLOTS = 96;
    static final int WEEK_SLOTS = 168;
    private static final long DAY_MS = 86_400_000L;
    private static final long WEEK_MS = 7 * DAY_MS;
    private static final int SHIFT_RUN = 6;
    private static final int AVERAGE_OVER = 6;
    /** Each visit of a slot keeps this share of its usual excursion: about a week of memory at 5-minute points. */
    private static final double EXCURSION_MEMORY = 0.97;

    private final float[] daily = new float[DAY_SLOTS];
    private final float[] weekly = new float[WEEK_SLOTS];
    private final float[] recent = new float[SHIFT_RUN];
    private final float[] recentZ = new float[AVERAGE_OVER];
    private final float[] excursion = new float[DAY_SLOTS];
    private final Calibrator instant = new Calibrator(0.002, 0.15);
    private final Calibrator averaged = new Calibrator(0.002, 0.1);
    private long firstTimestamp = Long.MIN_VALUE;
    private double level;
    private double scale;
    private double seasonalError;
    private double flatError;
    private double weeklyError;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private long seen;
    private int runSign;
    private int runLength;
    private double sustained;

    @Override
    public double surprise(long timestampMillis, double value) {
        if (!Double.isFinite(value)) {
            return 0;
        }
        if (seen == 0) {
            firstTimestamp = timestampMillis;
            level = value;
        }
        long age = timestampMillis - firstTimestamp;
        double day = position(timestampMillis, DAY_MS, DAY_SLOTS);
        double week = position(timestampMillis, WEEK_MS, WEEK_SLOTS);
        boolean dailyReady = age >= DAY_MS;
        boolean weeklyReady = age >= WEEK_MS;
        boolean useWeekly = weeklyReady && weeklyError < 0.9 * seasonalError;
        double season = (dailyReady ? at(daily, day) : 0) + (useWeekly ? at(weekly, week) : 0);
        boolean useSeason = dailyReady && seasonalError < 0.9 * flatError;
        double expected = level + (useSeason ? season : 0);
        double residual = value - expected;
        double floor = 0.002 * (max - min) + 1e-9;
        double typical = Math.max(scale, floor);
        double z = seen < 2 ? 0 : Math.abs(residual) / typical;
        int slot = (int) day;
        double usualExcursion = Math.max(excursion[slot], Math.max(excursion[(slot + 1) % DAY_SLOTS], excursion[(slot + DAY_SLOTS - 1) % DAY_SLOTS]));
        double againstUsual = seen < 2 ? 0 : Math.abs(residual) / Math.max(typical, usualExcursion);
        excursion[slot] = (float) Math.max(excursion[slot] * EXCURSION_MEMORY, Math.abs(residual));

        recentZ[(int) (seen % AVERAGE_OVER)] = (float) Math.min(z, 50);
        double sum = 0;
        float largest = 0;
        for (float r : recentZ) {
            sum += r;
            largest = Math.max(largest, r);
        }
        double surprise = instant.surprise(againstUsual);
        sustained = averaged.surprise((sum - largest) / (AVERAGE_OVER - 1));

        learn(value, residual, typical, season, day, week, age >= 2 * DAY_MS, useWeekly, useSeason);
        return seen < 10 ? 0 : surprise;
    }

    /** The surprise of the residual averaged over the last few points, as of the last call of {@link #surprise}. */
    double sustained() {
        return seen < 10 ? 0 : sustained;
    }

    private void learn(double value, double residual, double typical, double season, double day, double week,
            boolean dailySettled, boolean weeklyReady, boolean useSeason) {
        seen++;
        min = Math.min(min, value);
        max = Math.max(max, value);
        double a = Math.max(0.01, 1.0 / seen);
        double clipped = Math.max(-4 * typical, Math.min(4 * typical, residual));
        boolean outlier = seen > 10 && Math.abs(residual) > 4 * typical;
        int sign = outlier ? (residual > 0 ? 1 : -1) : 0;
        runLength = sign != 0 && sign == runSign ? runLength + 1 : (sign != 0 ? 1 : 0);
        runSign = sign;
        double deseasoned = value - (useSeason ? season : 0);
        recent[(int) (seen % SHIFT_RUN)] = (float) deseasoned;
        if (runLength >= SHIFT_RUN) {
            float[] sorted = recent.clone();
            Arrays.sort(sorted);
            level = sorted[SHIFT_RUN / 2];
            runLength = 0;
        } else {
            level += a * (useSeason ? clipped : Math.max(-4 * typical, Math.min(4 * typical, value - level)));
        }
        scale = scale == 0 ? Math.abs(residual) : scale + Math.max(0.005, 1.0 / seen) * (Math.min(Math.abs(residual), 4 * typical) - scale);
        double flat = value - level;
        double dailyOnly = flat - at(daily, day);
        seasonalError += 0.01 * (Math.abs(dailyOnly) - seasonalError);
        weeklyError += 0.01 * (Math.abs(dailyOnly - at(weekly, week)) - weeklyError);
        flatError += 0.01 * (Math.abs(flat) - flatError);
        double bounded = Math.max(-4 * typical, Math.min(4 * typical, flat - (weeklyReady ? at(weekly, week) : 0)));
        teach(daily, day, bounded);
        if (dailySettled) {
            teach(weekly, week, Math.max(-4 * typical, Math.min(4 * typical, flat - at(daily, day))));
        }
    }

    /** Position in a cycle, in slots (fractional: profiles are interpolated between slot centres). */
    private static double position(long timestamp, long period, int slots) {
        return (double) Math.floorMod(timestamp, period) * slots / period;
    }

    private static double at(float[] profile, double position) {
        int left = (int) Math.floor(position - 0.5);
        double weight = position - 0.5 - left;
        return profile[Math.floorMod(left, profile.length)] * (1 - weight) + profile[Math.floorMod(left + 1, profile.length)] * weight;
    }

    /** Moves the interpolated profile value at {@code position} a tenth of the way towards {@code target}. */
    private static void teach(float[] profile, double position, double target) {
        int left = (int) Math.floor(position - 0.5);
        double weight = position - 0.5 - left;
        double error = target - at(profile, position);
        profile[Math.floorMod(left, profile.length)] += (float) (0.1 * (1 - weight) * error);
        profile[Math.floorMod(left + 1, profile.length)] += (float) (0.1 * weight * error);
    }
}
