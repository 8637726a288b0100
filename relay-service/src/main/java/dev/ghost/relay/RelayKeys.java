package dev.ghost.relay;

import dev.ghost.common.redis.RedisKeys;

/**
 * The relay's Redis keys: event outboxes, dead letters, delivery leases, the webhook replay guard.
 * A subscriber's keys share the hash tag {@code {<subscriber service name>}} so the Lua scripts that
 * move entries between its outbox and its dead-letter stream run on one Redis Cluster slot.
 */
public final class RelayKeys {

    private RelayKeys() {
    }

    private static String subscriber(String name) {
        return RedisKeys.PREFIX + "relay:sub:" + RedisKeys.hashTag(name);
    }

    /**
     * Stream: a subscriber's outbox of undelivered events (consumer group {@code relay}); entries are
     * XACKed and XDELed once delivered, so it holds only pending work. Capped with MAXLEN ~.
     */
    public static String outbox(String subscriber) {
        return subscriber(subscriber) + ":outbox";
    }

    /** Stream: events a subscriber refused until the attempts ran out; kept for redelivery. Capped with MAXLEN ~. */
    public static String deadLetters(String subscriber) {
        return subscriber(subscriber) + ":dead";
    }

    /** Hash: a subscriber's delivery state and counters (delivered, dead-lettered, retrying, last error). TTL 30 days, renewed on write. */
    public static String deliveryState(String subscriber) {
        return subscriber(subscriber) + ":state";
    }

    /** String: which relay instance delivers to a subscriber (PX lease, renewed by the holder), so order holds with several relays. */
    public static String deliveryLease(String subscriber) {
        return subscriber(subscriber) + ":lease";
    }

    /** String: a webhook (timestamp, signature) pair already accepted; TTL twice the accepted clock skew. */
    public static String webhookSeen(String digest) {
        return RedisKeys.PREFIX + "relay:webhook:seen:" + digest;
    }
}
