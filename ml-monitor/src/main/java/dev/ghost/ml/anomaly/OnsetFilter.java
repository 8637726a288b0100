package dev.ghost.ml.anomaly;

/**
 * Reports an anomaly at its onset and then stays quiet for a rest period: after a score at or
 * above {@code alarmLevel}, later scores are held down for {@code restPoints} points unless they
 * are more surprising than the alarm itself. On-call engineers (and streaming benchmarks) want the
 * first sign of trouble, not the same trouble every minute.
 */
public final class OnsetFilter implements AnomalyDetector {

    public static final double DEFAULT_ALARM_LEVEL = 0.9999;
    public static final int DEFAULT_REST_POINTS = 100;

    private final AnomalyDetector inner;
    private final double alarmLevel;
    private final int restPoints;
    private int quietFor;
    private double lastAlarm;

    public OnsetFilter(AnomalyDetector inner, double alarmLevel, int restPoints) {
        this.inner = inner;
        this.alarmLevel = alarmLevel;
        this.restPoints = restPoints;
    }

    @Override
    public double score(long timestampMillis, double value) {
        double score = inner.score(timestampMillis, value);
        if (quietFor > 0) {
            quietFor--;
            if (score <= lastAlarm) {
                return score * 0.5;
            }
        }
        if (score >= alarmLevel) {
            quietFor = restPoints;
            lastAlarm = score;
        }
        return score;
    }
}
