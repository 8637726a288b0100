package dev.ghost.alerting;

/**
 * Something people can do about an alert or a group, as a channel shows it: a button where the
 * channel has them (Slack), else a link or the command.
 *
 * @param id      what the click names (Slack's {@code action_id}); unique within one message
 * @param label   the button's text
 * @param style   {@code primary}, {@code danger} or null
 * @param value   what a click sends back (Slack's {@code value}); null: not clickable here, show {@code command}
 * @param url     a page about it for channels without buttons (webhook, PagerDuty); may be null
 * @param command the same from a terminal; may be null
 */
public record SuggestedAction(String id, String label, String style, String value, String url, String command) {
}
