package dev.ghost.relay.event;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The events hub ({@code ghost.relay.*}). Subscribers are Eureka service names mapped to event-type
 * patterns ({@code *} matches any run of characters), e.g.
 * {@code ghost.relay.subscribers.ml-monitor=patch.*,health.*}; an empty list switches one off.
 */
@ConfigurationProperties("ghost.relay")
public class EventsProperties {

    private Map<String, List<String>> subscribers = new LinkedHashMap<>();

    private final Delivery events = new Delivery();

    public Map<String, List<String>> getSubscribers() {
        return subscribers;
    }

    public void setSubscribers(Map<String, List<String>> subscribers) {
        this.subscribers = subscribers;
    }

    public Delivery getEvents() {
        return events;
    }

    /** Subscribers with at least one pattern. */
    public Map<String, List<String>> activeSubscribers() {
        Map<String, List<String>> active = new LinkedHashMap<>();
        subscribers.forEach((name, patterns) -> {
            List<String> kept = patterns == null ? List.of()
                    : patterns.stream().map(String::trim).filter(pattern -> !pattern.isEmpty()).toList();
            if (!kept.isEmpty()) {
                active.put(name, kept);
            }
        });
        return active;
    }

    public static class Delivery {

        /** Most events accepted in one POST /events. */
        private int maxBatch = 1000;

        /** Most events sent to a subscriber in one POST. */
        private int batchSize = 500;

        /** Refusals (non-2xx other than 'unavailable') of one event before it is parked as a dead letter. */
        private int maxAttempts = 5;

        /** First wait after a failed delivery; doubles per failure, with jitter. */
        private Duration firstBackoff = Duration.ofMillis(500);

        /** Longest wait between two delivery attempts. */
        private Duration maxBackoff = Duration.ofSeconds(30);

        /** How long one delivery POST may take. */
        private Duration timeout = Duration.ofSeconds(10);

        /** How often an idle worker looks for events other relay instances accepted. */
        private Duration pollInterval = Duration.ofMillis(200);

        /** A relay instance's lease on delivering to one subscriber (keeps per-subscriber order with several relays). */
        private Duration lease = Duration.ofSeconds(15);

        /** Cap of each subscriber's outbox (undelivered events). */
        private long outboxMaxLength = 200_000;

        /** Cap of each subscriber's dead-letter stream. */
        private long deadLetterMaxLength = 10_000;

        public int getMaxBatch() {
            return maxBatch;
        }

        public void setMaxBatch(int maxBatch) {
            this.maxBatch = maxBatch;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getFirstBackoff() {
            return firstBackoff;
        }

        public void setFirstBackoff(Duration firstBackoff) {
            this.firstBackoff = firstBackoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Duration getLease() {
            return lease;
        }

        public void setLease(Duration lease) {
            this.lease = lease;
        }

        public long getOutboxMaxLength() {
            return outboxMaxLength;
        }

        public void setOutboxMaxLength(long outboxMaxLength) {
            this.outboxMaxLength = outboxMaxLength;
        }

        public long getDeadLetterMaxLength() {
            return deadLetterMaxLength;
        }

        public void setDeadLetterMaxLength(long deadLetterMaxLength) {
            this.deadLetterMaxLength = deadLetterMaxLength;
        }
    }
}
