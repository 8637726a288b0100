package dev.ghost.health.history;

import java.time.Instant;
import java.util.List;

/**
 * History of one service (or one of its instances): one series per instance, one point per step.
 *
 * @param since  start of the range (clamped to the retention)
 * @param stepMs length of one point
 */
public record HistoryView(String service, String instance, Instant since, Instant until, long stepMs, long retentionMs,
        List<Series> series) {

    public record Series(String instance, List<HistoryStore.Point> points) {
    }
}
