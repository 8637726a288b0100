package dev.ghost.alerting;

import java.time.Instant;

/**
 * A line about what was done for an alert group (a runbook submitted, running, succeeded; a silence;
 * an acknowledgement), shown with the group's message.
 *
 * @param slackUser a Slack user id ({@code U…}) the line mentions, or null
 * @param quiet     only worth showing in a message updated in place; never a message of its own
 */
public record GroupNote(Instant at, String text, String slackUser, boolean quiet) {
}
