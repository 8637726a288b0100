package dev.ghost.alerting.model;

import java.time.Instant;

/** One firing signal folded into an alert (a failure in a streak, a burst point), for the message. */
public record Occurrence(Instant at, String signal, Double value, String cause) {
}
