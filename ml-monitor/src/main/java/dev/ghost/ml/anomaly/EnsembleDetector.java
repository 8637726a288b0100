package dev.ghost.ml.anomaly;

/**
 * The detector every GHOST series gets. Four members, each blind to something the others see:
 * <ul>
 * <li>{@link ValueRarityDetector}: is the value itself rare, or beyond anything seen?</li>
 * <li>{@link SeasonalResidualDetector}: does it stray from the level and the daily and weekly
 * profile, beyond that time of day's usual excursion, at one point or on average over a few?</li>
 * <li>{@link ContextNoveltyDetector}: is the recent stretch unlike every context remembered?</li>
 * <li>{@link StuckDetector}: has the series repeated one value for far longer than ever?</li>
 * </ul>
 * A one-point residual only counts as far as the context around it is new ({@code min(residual,
 * context + CONTEXT_MARGIN)}): a burst that strays from any smooth profile may still be the
 * series' familiar rhythm. Residuals, being model-dependent, count {@link #RESIDUAL_DISCOUNT} less
 * than a rare value. The point's surprise is the largest of the value's rarity, the stuck run and
 * the residuals, discounted when the series reaches the alarm level far more often than a
 * calibrated one would ({@link AlarmRate}); an {@link OnsetFilter} reports each event once, at
 * its onset. The score in [0, 1) is {@code 1 - 1 / (1 + surprise)^2}: monotone and never
 * saturating, so one threshold ranks the points of every series (NAB sweeps a single threshold
 * over its whole corpus).
 */
public final class EnsembleDetector implements AnomalyDetector {

    static final double CONTEXT_MARGIN = 2;
    static final double RESIDUAL_DISCOUNT = 0.5;
    static final double ALARM_SURPRISE = 3;
    static final int REST_POINTS = 100;
    static final double ESCALATION = 2;

    /**
     * Score at or above which a point is reported as an anomaly: just below that of the alarm
     * surprise (0.9375), where NAB's standard profile puts its one threshold on its development
     * corpus and on the generated suite (see the module README).
     */
    public static final double ALARM_THRESHOLD = 0.937;
    /** Score of a surprise of 9: an event far beyond the series' ordinary excursions. */
    public static final double CRITICAL_THRESHOLD = 0.99;

    private final ValueRarityDetector rarity = new ValueRarityDetector();
    private final SeasonalResidualDetector seasonal = new SeasonalResidualDetector();
    private final ContextNoveltyDetector context = new ContextNoveltyDetector();
    private final StuckDetector stuck = new StuckDetector();
    private final AlarmRate alarmRate = new AlarmRate(ALARM_SURPRISE);
    private final OnsetFilter onsets = onsetFilter();

    private EnsembleDetector() {
    }

    public static AnomalyDetector standard() {
        return new EnsembleDetector();
    }

    @Override
    public double score(long timestampMillis, double value) {
        double rare = rarity.surprise(timestampMillis, value);
        double residual = seasonal.surprise(timestampMillis, value);
        double sustained = seasonal.sustained();
        double novel = context.surprise(timestampMillis, value);
        double frozen = stuck.surprise(timestampMillis, value);
        return score(onsets.filter(alarmRate.discount(combine(rare, residual, sustained, novel, frozen))));
    }

    /** The point's surprise from its members' (see the class comment). */
    static double combine(double rare, double residual, double sustained, double novel, double frozen) {
        return Math.max(Math.max(rare, frozen), Math.max(Math.min(residual, novel + CONTEXT_MARGIN), sustained) - RESIDUAL_DISCOUNT);
    }

    static OnsetFilter onsetFilter() {
        return new OnsetFilter(ALARM_SURPRISE, REST_POINTS, ESCALATION);
    }

    /** The score of a surprise: 0 for none, 0.9375 at 3, 0.99 at 9, approaching 1. */
    static double score(double surprise) {
        return surprise <= 0 ? 0 : 1 - 1 / ((1 + surprise) * (1 + surprise));
    }
}
