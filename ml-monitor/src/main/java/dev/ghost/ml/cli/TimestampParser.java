package dev.ghost.ml.cli;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Reads the timestamps time-series files use: ISO-8601 with or without offset ({@code T} or a
 * space between date and time, optional fractions), or epoch seconds or milliseconds. A row whose
 * timestamp cannot be read gets one a minute after the previous, so detection goes on.
 */
final class TimestampParser {

    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter();

    private long last = 0;

    long parse(String text, long row) {
        long parsed = read(text);
        if (parsed == Long.MIN_VALUE) {
            parsed = row == 0 ? 0 : last + 60_000L;
        }
        last = parsed;
        return parsed;
    }

    private static long read(String text) {
        if (text.isEmpty()) {
            return Long.MIN_VALUE;
        }
        char first = text.charAt(0);
        if (first >= '0' && first <= '9' && text.indexOf('-') < 0 && text.indexOf(':') < 0) {
            try {
                double number = Double.parseDouble(text);
                return number > 1e11 ? (long) number : (long) (number * 1000);
            } catch (NumberFormatException e) {
                return Long.MIN_VALUE;
            }
        }
        try {
            return LocalDateTime.parse(text, LOCAL).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            // fall through to zoned forms
        }
        try {
            return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return Instant.parse(text.replace(' ', 'T')).toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }
}
