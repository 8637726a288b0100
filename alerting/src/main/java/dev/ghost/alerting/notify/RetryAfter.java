package dev.ghost.alerting.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** HTTP's Retry-After (RFC 9110 §10.2.3), as every channel's 429 and 503 answers may carry it. */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
    public static Duration of(Map<String, List<String>> headers) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey() != null && header.getKey().equalsIgnoreCase("Retry-After") && !header.getValue().isEmpty()) {
                return parse(header.getValue().get(0).trim());
            }
        }
        return null;
    }

    private static Duration parse(String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(Instant.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
