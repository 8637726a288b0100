package dev.ghost.health.probe;

/**
 * What one metrics call found: figures, or why there are none.
 *
 * @param snapshot the parsed figures, or null
 * @param absent   the instance answered that it has no metrics for us (401, 403, 404): ask again only now and then;
 *                 false for a timeout or a broken connection, which say nothing about the next poll
 */
public record Scrape(MetricsSnapshot snapshot, boolean absent) {

    /** Metrics were not asked for this time (the instance said it has none, a while ago). */
    public static final Scrape NOT_ASKED = new Scrape(null, true);

    static Scrape of(int status, String body) {
        if (status == 200) {
            return new Scrape(PrometheusText.parse(body, System.currentTimeMillis()), false);
        }
        return new Scrape(null, status == 401 || status == 403 || status == 404 || status == 406);
    }

    static Scrape failed() {
        return new Scrape(null, false);
    }
}
