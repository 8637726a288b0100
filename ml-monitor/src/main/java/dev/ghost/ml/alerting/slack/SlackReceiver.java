package dev.ghost.ml.alerting.slack;

/**
 * A receiver resolved against the Slack settings. Deliberately without {@code toString} of its
 * secrets: only {@link #describe()} is ever shown.
 */
public final class SlackReceiver {

    public enum Mode {
        /** chat.postMessage / chat.update with the bot token: messages updated in place. */
        BOT,
        /** An incoming webhook: every notification a new message. */
        WEBHOOK,
        /** Nothing configured: alerts are kept and shown at GET /alerts, nothing is sent. */
        NONE;

        public String json() {
            return name().toLowerCase();
        }
    }

    private final String name;
    private final String webhookUrl;
    private final String channel;
    private final Mode mode;

    public SlackReceiver(String name, String webhookUrl, String channel, boolean botToken) {
        this.name = name;
        this.webhookUrl = webhookUrl;
        this.channel = channel;
        this.mode = botToken && !channel.isBlank() ? Mode.BOT : !webhookUrl.isBlank() ? Mode.WEBHOOK : Mode.NONE;
    }

    public String name() {
        return name;
    }

    String webhookUrl() {
        return webhookUrl;
    }

    public String channel() {
        return channel;
    }

    public Mode mode() {
        return mode;
    }

    public String describe() {
        return switch (mode) {
            case BOT -> name + " (bot token, channel " + channel + ")";
            case WEBHOOK -> name + " (incoming webhook)";
            case NONE -> name + " (not configured)";
        };
    }

    @Override
    public String toString() {
        return describe();
    }
}
