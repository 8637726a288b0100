package dev.ghost.ml.anomaly;

/**
 * How often a series brings its surprise to the alarm level, against how often a calibrated one
 * would ({@link #USUAL}, at most). A series that does so far more often (bursts that are its
 * routine) has its surprises discounted by the decimal logarithm of the excess: its members'
 * calibration promised rarer alarms than it keeps.
 */
final class AlarmRate {

    static final double USUAL = 0.003;
    /** The rate is an exponentially weighted share over about a thousand points. */
    private static final double ALPHA = 0.001;

    private final double alarmSurprise;
    private double rate = USUAL;

    AlarmRate(double alarmSurprise) {
        this.alarmSurprise = alarmSurprise;
    }

    /** {@code surprise} less the excess of this series' alarm rate, in decades; then counts it. */
    double discount(double surprise) {
        double discounted = surprise - Math.max(0, Math.log10(rate / USUAL));
        rate += ALPHA * ((surprise >= alarmSurprise ? 1 : 0) - rate);
        return discounted;
    }
}
