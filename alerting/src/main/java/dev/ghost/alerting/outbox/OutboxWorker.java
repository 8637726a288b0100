package dev.ghost.alerting.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ghost.alerting.config.AlertingProperties;
import dev.ghost.alerting.notify.DeliveryResult;
import dev.ghost.alerting.notify.Notification;
import dev.ghost.alerting.notify.Receiver;
import dev.ghost.common.retry.Backoff;

/**
 * Delivers one receiver's outbox in order, one notification at a time, through the receiver's
 * {@link dev.ghost.alerting.notify.Notifier}: a notification that fails for a passing reason is
 * retried (honouring Retry-After, else common's {@link Backoff}) before the next is attempted, so
 * the channel sees a group's messages in the order they were decided. Pending entries of an
 * interrupted run (a restart) come first. A notification whose id is already recorded as
 * delivered is acknowledged without sending again.
 * <p>
 * An attempt that went out and got no answer is ambiguous: the channel may have it. A receiver
 * whose retries are harmless ({@link Receiver#safeToRetry()}: it checks first or deduplicates) is
 * tried again as usual; any other is tried once more, and a second unanswered attempt ends the
 * notification (dead-lettered), so a hanging receiver gets it at most twice, never once per timeout.
 */
public class OutboxWorker implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);
    private static final int BATCH = 20;

    /** Unanswered attempts after which a channel that cannot check gets no more tries. */
    static final int MAX_UNANSWERED = 2;

    private final String receiver;
    private final Receiver target;
    private final NotificationOutbox outbox;
    private final AlertingProperties.Delivery settings;
    private final IntervalFunction backoff;
    private final Clock clock;
    private final Counter delivered;
    private final Counter retried;
    private final Counter dead;
    private final Semaphore work = new Semaphore(0);
    private volatile boolean running;
    private volatile Thread thread;
    /** A request to the channel is in flight: stopping waits for its answer instead of interrupting it (no unknown outcome). */
    private volatile boolean sending;
    private boolean redisFailing;

    public OutboxWorker(Receiver target, NotificationOutbox outbox, AlertingProperties.Delivery settings, Clock clock,
            MeterRegistry meters) {
        this.receiver = target.name();
        this.target = target;
        this.outbox = outbox;
        this.settings = settings;
        this.backoff = Backoff.exponential(settings.initialBackoff(), settings.maxBackoff());
        this.clock = clock;
        this.delivered = counter(meters, "delivered");
        this.retried = counter(meters, "retried");
        this.dead = counter(meters, "dead");
    }

    private Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("ghost.alerting.notifications").tag("receiver", receiver).tag("outcome", outcome)
                .description("Notification attempts by outcome (retried: a passing failure, tried again)").register(meters);
    }

    /** Starts (again, after a stop: a member that leads again). */
    public void start() {
        running = true;
        thread = new Thread(this, "ghost-alerting-outbox-" + receiver);
        thread.setDaemon(true);
        thread.start();
    }

    /** Something was queued: look now rather than at the next poll. */
    public void wake() {
        work.release();
    }

    /** Tells it to stop after the attempt in flight (all workers are told first, then each is waited for). */
    void stopping() {
        running = false;
    }

    /** Stops after the attempt in flight; an unfinished notification stays pending for the next start. */
    public void stop(Duration grace) {
        running = false;
        Thread current = thread;
        if (current != null) {
            if (!sending) {
                current.interrupt();
            }
            try {
                current.join(grace.toMillis());
                current.interrupt();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        boolean groupReady = false;
        // Entries read but not acknowledged exist only after an interrupted run or a failure: look for them then.
        boolean checkPending = true;
        while (running) {
            try {
                if (!groupReady) {
                    outbox.ensureGroup(receiver);
                    groupReady = true;
                }
                work.drainPermits(); // before reading: a wake during the read then ends the wait below at once
                List<NotificationOutbox.Entry> entries = checkPending ? outbox.pending(receiver, BATCH) : List.of();
                boolean fresh = entries.isEmpty();
                if (fresh) {
                    checkPending = false;
                    entries = outbox.fresh(receiver, BATCH);
                }
                redisOk();
                if (entries.isEmpty()) {
                    work.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                for (NotificationOutbox.Entry entry : entries) {
                    if (!running || !deliver(entry, fresh)) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                checkPending = true;
                redisFailed(e);
                if (!pause(Duration.ofSeconds(1))) {
                    return;
                }
            }
        }
    }

    /**
     * Delivers (retrying as needed) and acknowledges; false when stopped before it was done. A
     * {@code fresh} entry was never read before, so it cannot have been delivered: its status is
     * not looked up (one round trip less on the way to the channel).
     */
    private boolean deliver(NotificationOutbox.Entry entry, boolean fresh) {
        Notification notification = entry.notification();
        DeliveryStatus queued = DeliveryStatus.queued(notification, notification.at());
        DeliveryStatus status = fresh ? queued : outbox.status(notification.id()).orElse(queued);
        while (running) {
            Instant now = clock.instant();
            if (status.finished()) {
                outbox.ack(receiver, entry.recordId()); // told before a restart: never post twice
                return true;
            }
            if (notification.at().plus(settings.maxAge()).isBefore(now)) {
                String reason = "still undelivered after " + settings.maxAge() + " (last error: " + status.lastError() + ")";
                finish(entry, status.dead(reason, now), reason);
                return true;
            }
            DeliveryResult result;
            sending = true;
            try {
                result = target.notifier().notify(notification);
            } finally {
                sending = false;
            }
            now = clock.instant();
            if (result instanceof DeliveryResult.Delivered) {
                delivered.increment();
                recordDelivered(entry, status.deliveredAt(now));
                if (status.attempts() > 0) {
                    log.info("Notification {} delivered to {} after {} failed attempts", notification.id(), receiver,
                            status.attempts());
                }
                return true;
            }
            if (result instanceof DeliveryResult.Rejected rejected) {
                finish(entry, status.dead(rejected.reason(), now), rejected.reason());
                return true;
            }
            Duration wait;
            String reason;
            if (result instanceof DeliveryResult.Unanswered unanswered) {
                reason = unanswered.reason();
                status = status.unanswered(reason, now);
                if (!target.safeToRetry() && status.unanswered() >= MAX_UNANSWERED) {
                    String given = reason + "; unanswered " + status.unanswered()
                            + " times by a channel that cannot check what it got: not sent again, so it cannot arrive a third time";
                    finish(entry, status.dead(given, now), given);
                    return true;
                }
                wait = Duration.ofMillis(backoff.apply(status.attempts()));
            } else {
                DeliveryResult.Retry retry = (DeliveryResult.Retry) result;
                reason = retry.reason();
                status = status.retrying(reason, now);
                wait = retry.retryAfter() != null ? min(retry.retryAfter(), settings.maxRetryAfter())
                        : Duration.ofMillis(backoff.apply(status.attempts()));
            }
            retried.increment();
            outbox.update(status);
            if (Long.bitCount(status.attempts()) == 1) { // attempts 1, 2, 4, 8...: a long outage does not flood the log
                log.warn("Notification {} to {}: {} (attempt {}); retrying in {} ms", notification.id(), receiver,
                        reason, status.attempts(), wait.toMillis());
            } else {
                log.debug("Notification {} to {}: {} (attempt {}); retrying in {} ms", notification.id(), receiver,
                        reason, status.attempts(), wait.toMillis());
            }
            if (!pause(wait)) {
                return false;
            }
        }
        return false;
    }

    /** The channel has it: record that until Redis takes it, or a later pass would send it again. */
    private void recordDelivered(NotificationOutbox.Entry entry, DeliveryStatus delivered) {
        while (true) {
            try {
                outbox.delivered(delivered, receiver, entry.recordId());
                return;
            } catch (RuntimeException e) {
                redisFailed(e);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void finish(NotificationOutbox.Entry entry, DeliveryStatus given, String reason) {
        dead.increment();
        log.error("Notification {} to {} dropped: {}", entry.notification().id(), receiver, reason);
        outbox.update(given);
        outbox.deadLetter(entry.notification(), reason);
        outbox.ack(receiver, entry.recordId());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Sleeps unless stopped; false when stopped. */
    private boolean pause(Duration wait) {
        try {
            Thread.sleep(Math.max(1, wait.toMillis()));
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void redisOk() {
        if (redisFailing) {
            redisFailing = false;
            log.info("Outbox of {} readable again", receiver);
        }
    }

    private void redisFailed(RuntimeException e) {
        if (!redisFailing) {
            redisFailing = true;
            log.warn("Outbox of {} unreadable ({}); retrying every second", receiver, e.getMessage());
        }
    }
}
