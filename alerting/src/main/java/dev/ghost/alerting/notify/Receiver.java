package dev.ghost.alerting.notify;

/**
 * A configured receiver: the name routes send to, and the channel plugged in behind it.
 *
 * @param channel         which plug-in: {@code slack}, {@code webhook}, {@code pagerduty}, or {@code none} (nothing configured:
 *                        alerts are kept and shown at GET /alerts, not sent)
 * @param mode            how that channel talks: {@code bot} or {@code webhook} for Slack, {@code signed-json}, {@code events-v2}
 * @param description     for logs and the test answer; never contains a secret
 * @param updatesInPlace  a group's later messages edit its first one (Slack with a bot token) or the same incident
 *                        (PagerDuty) instead of adding messages
 * @param safeToRetry     an unanswered attempt can be repeated without a duplicate reaching people: the channel checks
 *                        first (Slack bot token) or deduplicates (PagerDuty's dedup key)
 */
public record Receiver(String name, String channel, String mode, String description, boolean updatesInPlace,
        boolean safeToRetry, Notifier notifier) {

    public boolean delivers() {
        return !"none".equals(channel);
    }

    @Override
    public String toString() {
        return description;
    }
}
