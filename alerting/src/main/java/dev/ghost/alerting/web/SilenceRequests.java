package dev.ghost.alerting.web;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.ghost.alerting.model.LabelMatcher;
import dev.ghost.alerting.model.Labels;
import dev.ghost.alerting.silences.Silence;
import dev.ghost.common.problem.Violations;

/**
 * The rules every silence obeys, whichever API it comes through (GHOST's {@code /silences} or
 * Alertmanager's {@code /api/v2/silences}): valid matchers that do not match everything, a
 * comment, an end after its start and in the future, at most {@link #MAX_DURATION}. Each broken
 * rule is one violation with its JSON pointer.
 */
final class SilenceRequests {

    static final Duration MAX_DURATION = Duration.ofDays(90);
    static final int MAX_COMMENT = 1000;
    static final int MAX_MATCHERS = 32;
    private static final String POINTER = "/matchers";
    private static final String LABEL_NAME = "a label name like service or alertname ([a-zA-Z_][a-zA-Z0-9_]*)";
    /** Go's zero time, which Alertmanager clients send for "not set". */
    private static final Instant GO_ZERO = Instant.parse("0001-01-01T00:00:00Z");

    private SilenceRequests() {
    }

    /** A matcher as a client wrote it, before it is checked; {@code pointer} locates it in the body. */
    private record Candidate(String pointer, String name, LabelMatcher.Op op, String value) {
    }

    /** How an API writes a matcher's operator: read from the matcher object, violations added; null if it is invalid. */
    @FunctionalInterface
    interface OperatorField {
        LabelMatcher.Op read(JsonNode matcher, String pointer, Violations violations);
    }

    /**
     * The {@code matchers} array of a silence request, each an object with {@code name}, {@code value} and the
     * operator as the API writes it: every broken matcher is a violation, and the valid ones are checked
     * together ({@link #matchers(List, int, Violations)}).
     *
     * @param shape        the matcher object as the API documents it, for the messages
     * @param nameWithOthers also name a bad label name when the same matcher has another problem (GHOST's own API;
     *                       Alertmanager's checks the name of a matcher that is otherwise well formed only)
     */
    static List<Silence.MatcherSpec> matchers(JsonNode node, String shape, OperatorField operator, boolean nameWithOthers,
            Violations violations) {
        if (node == null || !node.isArray()) {
            violations.add(POINTER, "at least one matcher " + shape + " is required");
            return List.of();
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String pointer = POINTER + "/" + i;
            if (!item.isObject()) {
                violations.add(pointer, "a matcher is an object " + shape);
                continue;
            }
            String name = item.hasNonNull("name") ? item.get("name").asString("") : "";
            JsonNode value = item.get("value");
            int before = violations.size();
            LabelMatcher.Op op = operator.read(item, pointer, violations);
            if (value == null || !value.isString()) {
                violations.add(pointer + "/value", "a string is required");
            }
            if (violations.size() == before) {
                candidates.add(new Candidate(pointer, name, op, value.asString()));
            } else if (nameWithOthers && !Labels.NAME.matcher(name).matches()) {
                violations.add(pointer + "/name", LABEL_NAME);
            }
        }
        return matchers(candidates, node.size(), violations);
    }

    /**
     * Checks the matchers: each valid, and together not matching every alert. Only valid ones are returned.
     *
     * @param written how many matchers the request had (some may have been refused before becoming candidates)
     */
    private static List<Silence.MatcherSpec> matchers(List<Candidate> candidates, int written, Violations violations) {
        String pointer = POINTER;
        if (written == 0) {
            violations.add(pointer, "at least one matcher is required");
            return List.of();
        }
        if (written > MAX_MATCHERS) {
            violations.add(pointer, "at most " + MAX_MATCHERS + " matchers");
            return List.of();
        }
        boolean selective = false;
        List<Silence.MatcherSpec> valid = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (!Labels.NAME.matcher(candidate.name()).matches()) {
                violations.add(candidate.pointer() + "/name", LABEL_NAME);
                continue;
            }
            try {
                LabelMatcher matcher = LabelMatcher.of(candidate.name(), candidate.op(), candidate.value());
                selective |= !matcher.matches(Labels.of(Map.of()));
                valid.add(new Silence.MatcherSpec(candidate.name(), candidate.op().symbol(), candidate.value()));
            } catch (IllegalArgumentException e) {
                violations.add(candidate.pointer() + "/value", e.getMessage());
            }
        }
        if (valid.size() == written && !selective) {
            violations.add(pointer, "these matchers also match an absent label, so they would silence every alert;"
                    + " name at least one label value");
        }
        return valid;
    }

    /** The comment, trimmed; required (whoever wonders why alerts are quiet reads it). */
    static String comment(JsonNode body, Violations violations) {
        String comment = body.hasNonNull("comment") ? body.get("comment").asString("").strip() : "";
        if (comment.isEmpty()) {
            violations.add("/comment", "say why (the comment is shown to whoever wonders why alerts are quiet)");
        } else if (comment.length() > MAX_COMMENT) {
            violations.add("/comment", "at most " + MAX_COMMENT + " characters");
        }
        return comment;
    }

    /** Ends after it starts, in the future, within the longest duration allowed; {@code endPointer} names what set the end. */
    static void period(Instant startsAt, Instant endsAt, Instant now, String endPointer, Violations violations) {
        if (startsAt == null || endsAt == null) {
            return;
        }
        if (!endsAt.isAfter(startsAt)) {
            violations.add(endPointer, "must end after it starts");
        } else if (!endsAt.isAfter(now)) {
            violations.add(endPointer, "is in the past");
        } else if (Duration.between(startsAt, endsAt).compareTo(MAX_DURATION) > 0) {
            violations.add(endPointer, "at most " + MAX_DURATION.toDays() + " days");
        }
    }

    /**
     * An RFC 3339 time (with {@code Z} or an offset, as Go clients write it) at {@code field}, or null when
     * absent or Go's zero time; a violation when it is not a time.
     */
    static Instant instant(JsonNode body, String field, String pointer, Violations violations) {
        if (!body.hasNonNull(field)) {
            return null;
        }
        JsonNode value = body.get(field);
        try {
            Instant instant = OffsetDateTime.parse(value.asString("")).toInstant();
            return instant.equals(GO_ZERO) ? null : instant;
        } catch (DateTimeParseException e) {
            violations.add(pointer, "an RFC 3339 time such as 2026-11-28T18:00:00Z");
            return null;
        }
    }
}
