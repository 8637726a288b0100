package dev.ghost.alerting.channel.slack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.ghost.alerting.model.Occurrence;

/** Unicode block sparklines, readable in any Slack client without an image. */
final class Sparkline {

    private static final char[] BARS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};
    static final int WIDTH = 24;

    private Sparkline() {
    }

    /** The last {@link #WIDTH} values, scaled between their minimum and maximum (a flat series is a low line). */
    static String of(List<Double> values) {
        List<Double> shown = values.subList(Math.max(0, values.size() - WIDTH), values.size()).stream()
                .filter(v -> v != null && Double.isFinite(v)).toList();
        if (shown.isEmpty()) {
            return "";
        }
        double min = shown.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = shown.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return bars(shown, min, max);
    }

    private static String bars(List<Double> values, double min, double max) {
        StringBuilder out = new StringBuilder();
        for (double value : values) {
            int level = max == min ? 0 : (int) Math.round((value - min) / (max - min) * (BARS.length - 1));
            out.append(BARS[level]);
        }
        return out.toString();
    }

    /** Occurrences per time slice from {@code from} to {@code to}: when the failures of a streak came. */
    static String ofOccurrences(List<Occurrence> occurrences, Instant from, Instant to, int slices) {
        if (occurrences.size() < 2 || !to.isAfter(from)) {
            return "";
        }
        long span = Math.max(1, Duration.between(from, to).toMillis());
        List<Double> counts = new ArrayList<>();
        for (int i = 0; i < slices; i++) {
            counts.add(0.0);
        }
        for (Occurrence occurrence : occurrences) {
            long offset = Duration.between(from, occurrence.at()).toMillis();
            int slice = (int) Math.min(slices - 1, Math.max(0, offset * slices / span));
            counts.set(slice, counts.get(slice) + 1);
        }
        return bars(counts, 0, counts.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }
}
