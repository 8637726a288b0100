package dev.ghost.ml.anomaly;

/**
 * Reports an anomaly at its onset and then stays quiet for a rest period: after a surprise at or
 * above {@code alarmLevel}, later surprises are held below the alarm level for {@code restPoints}
 * points unless they exceed the alarm's own by {@code escalation} (a distinctly bigger event).
 * On-call engineers (and streaming benchmarks) want the first sign of trouble, not the same
 * trouble every minute while the models adapt to it.
 */
final class OnsetFilter {

    private final double alarmLevel;
    private final int restPoints;
    private final double escalation;
    private int quietFor;
    private double lastAlarm;

    OnsetFilter(double alarmLevel, int restPoints, double escalation) {
        this.alarmLevel = alarmLevel;
        this.restPoints = restPoints;
        this.escalation = escalation;
    }

    double filter(double surprise) {
        if (quietFor > 0) {
            quietFor--;
            if (surprise <= lastAlarm + escalation) {
                return 0.5 * Math.min(surprise, alarmLevel);
            }
        }
        if (surprise >= alarmLevel) {
            quietFor = restPoints;
            lastAlarm = surprise;
        }
        return surprise;
    }
}
