package dev.ghost.alerting.routing;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What a group has told so far, kept in Redis so a restart neither repeats nor forgets it. After
 * its resolve message a group goes dormant rather than away, so its message numbers keep growing
 * across episodes and a notification id is never reused.
 *
 * @param id           short stable id of the group (fingerprint of route and group labels)
 * @param notified     fingerprints of the firing alerts the last message showed
 * @param lastNotifiedAt last message of the current episode (null: none yet)
 * @param seq          messages sent so far; the next notification's id is {@code id-(seq+1)}
 * @param dormantSince the episode ended (all resolved) at this time; null while active
 */
public record GroupState(String key, String id, String routeId, String receiver, Map<String, String> groupLabels,
        Set<String> notified, Instant createdAt, Instant lastNotifiedAt, Instant nextFlushAt, long seq,
        Instant dormantSince) {

    public GroupState {
        groupLabels = Map.copyOf(groupLabels);
        notified = Set.copyOf(notified);
    }

    boolean dormant() {
        return dormantSince != null;
    }

    GroupState flushAt(Instant at) {
        return new GroupState(key, id, routeId, receiver, groupLabels, notified, createdAt, lastNotifiedAt, at, seq, dormantSince);
    }

    GroupState told(Set<String> firing, Instant now, Instant next) {
        return new GroupState(key, id, routeId, receiver, groupLabels, firing, createdAt, now, next, seq + 1, null);
    }

    GroupState forget(Set<String> stillNotified, Instant next) {
        return new GroupState(key, id, routeId, receiver, groupLabels, stillNotified, createdAt, lastNotifiedAt, next, seq,
                dormantSince);
    }

    GroupState sleep(Instant now, long seqAfter) {
        return new GroupState(key, id, routeId, receiver, groupLabels, Set.of(), createdAt, null, null, seqAfter, now);
    }

    /**
     * A new episode. One that comes soon after the last ({@code continuing}: a flapping subject)
     * carries on the same Slack message rather than starting a new one.
     */
    GroupState wake(Instant now, Instant firstFlush, boolean continuing) {
        return new GroupState(key, id, routeId, receiver, groupLabels, Set.of(), now, continuing ? dormantSince : null,
                firstFlush, seq, null);
    }

    public String nextNotificationId() {
        return id + "-" + (seq + 1);
    }
}
