package dev.ghost.alerting.silences;

import java.time.Instant;
import java.util.List;

import dev.ghost.alerting.model.LabelMatcher;
import dev.ghost.alerting.model.Labels;
import dev.ghost.alerting.model.Matchers;

/**
 * Alertmanager's silence: alerts whose labels match every matcher are not notified between
 * {@code startsAt} and {@code endsAt}. Stored in Redis as this record (as JSON).
 */
public record Silence(String id, List<MatcherSpec> matchers, Instant startsAt, Instant endsAt, String createdBy,
        String comment, Instant createdAt, Instant updatedAt) {

    /** A matcher as written: {@code {"name": "service", "op": "=~", "value": "runner.*"}}. */
    public record MatcherSpec(String name, String op, String value) {

        public LabelMatcher compile() {
            return LabelMatcher.of(name, LabelMatcher.Op.of(op), value);
        }
    }

    public enum State {
        PENDING, ACTIVE, EXPIRED;

        public String json() {
            return name().toLowerCase();
        }
    }

    public Silence {
        matchers = List.copyOf(matchers);
    }

    public State state(Instant now) {
        if (!endsAt.isAfter(now)) {
            return State.EXPIRED;
        }
        return startsAt.isAfter(now) ? State.PENDING : State.ACTIVE;
    }

    public Matchers compile() {
        return new Matchers(matchers.stream().map(MatcherSpec::compile).toList());
    }

    /** A silence with its matchers compiled once, as the dispatcher checks it against every alert. */
    public record Compiled(Silence silence, Matchers matchers) {

        public static Compiled of(Silence silence) {
            return new Compiled(silence, silence.compile());
        }

        public boolean mutes(Labels labels, Instant now) {
            return silence.state(now) == State.ACTIVE && matchers.matches(labels);
        }
    }
}
