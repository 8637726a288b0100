package dev.ghost.health.history;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.convert.DurationStyle;

import dev.ghost.common.patch.Violation;
import dev.ghost.common.problem.InvalidRequestException;

/**
 * The parameters of {@code GET /health/history}, checked all at once so a bad request hears of
 * every problem in one answer.
 *
 * @param since an instant ({@code 2026-11-28T10:00:00Z}) or how far back from now ({@code 1h}, {@code 15m}, {@code PT1H})
 * @param step  the length of one point ({@code 30s}, {@code 5m}); by default the range in about 360 points, never below the interval
 */
public record HistoryQuery(String service, String instance, Instant since, Duration step) {

    static final int MAX_POINTS = 10_000;
    static final int DEFAULT_POINTS = 360;

    public static HistoryQuery parse(String service, String instance, String since, String step, Instant now,
            Duration interval, Duration retention) {
        List<Violation> violations = new ArrayList<>();
        if ((service == null || service.isBlank()) && (instance == null || instance.isBlank())) {
            violations.add(new Violation("/service", "give a service, an instance, or both"));
        }
        Instant from = now.minus(Duration.ofHours(1));
        if (since != null && !since.isBlank()) {
            try {
                from = since.contains("T") && !since.startsWith("P") ? Instant.parse(since) : now.minus(positive(since));
                if (from.isAfter(now)) {
                    violations.add(new Violation("/since", "must not be in the future"));
                }
            } catch (DateTimeParseException | IllegalArgumentException e) {
                violations.add(new Violation("/since", "must be an instant such as 2026-11-28T10:00:00Z or a duration such as 1h, 15m or PT1H"));
            }
        }
        Instant oldest = now.minus(retention);
        if (from.isBefore(oldest)) {
            from = oldest;
        }
        Duration range = Duration.between(from, now);
        Duration length = null;
        if (step != null && !step.isBlank()) {
            try {
                length = positive(step);
                if (length.toMillis() < 1000) {
                    violations.add(new Violation("/step", "must be at least 1s"));
                } else if (range.toMillis() / length.toMillis() > MAX_POINTS) {
                    violations.add(new Violation("/step", "gives more than " + MAX_POINTS + " points over this range; use a longer step"));
                }
            } catch (IllegalArgumentException e) {
                violations.add(new Violation("/step", "must be a duration such as 30s, 5m or PT5M"));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        if (length == null) {
            long auto = Math.max(interval.toMillis(), range.toMillis() / DEFAULT_POINTS);
            length = Duration.ofSeconds(Math.max(1, (auto + 999) / 1000));
        }
        return new HistoryQuery(blankToNull(service), blankToNull(instance), from, length);
    }

    private static Duration positive(String text) {
        Duration duration = DurationStyle.detectAndParse(text.trim());
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("not positive");
        }
        return duration;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
