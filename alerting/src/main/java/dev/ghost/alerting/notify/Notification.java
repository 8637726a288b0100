package dev.ghost.alerting.notify;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.ghost.alerting.ActionAdvisor;
import dev.ghost.alerting.AlertGroup;
import dev.ghost.alerting.GroupNote;
import dev.ghost.alerting.model.AlertData;

/**
 * What the dispatcher decided to tell a receiver, before any channel shaped it: about one group,
 * one summary of several groups (a route over its rate limit), or a test. It is what waits in the
 * outbox; each channel renders its own payload from it at delivery.
 *
 * @param id           the idempotency key: the same decision always gets the same id, and an id is delivered once
 * @param groupId      the group whose message it is (null for storms and tests); channels that update a
 *                     message in place, or deduplicate (PagerDuty), key on it
 * @param firstOfGroup the group's first message of this episode (a channel that updates in place posts it; later ones update)
 * @param muted        alerts of the group currently silenced or inhibited, for a footnote
 * @param groups       for a {@link Kind#STORM}: the groups summarized
 * @param requestedBy  for a {@link Kind#TEST}: who asked for it
 * @param note         for a {@link Kind#NOTE}: the news about the group
 */
public record Notification(String id, Kind kind, String receiver, String routeId, String groupId,
        Map<String, String> groupLabels, List<AlertData> firing, List<AlertData> resolved, int muted,
        boolean firstOfGroup, int maxAlerts, Instant at, List<Notification> groups, String requestedBy, GroupNote note) {

    public enum Kind {
        /** New firing alerts in the group (maybe with some resolved). */
        FIRING,
        /** Only resolutions, some alerts still firing. */
        UPDATE,
        /** Every alert of the group resolved. */
        RESOLVED,
        /** Nothing changed but repeat-interval passed while firing. */
        REPEAT,
        /** Rate limit reached: several groups in one message. */
        STORM,
        /** POST /alerts/test: checks a receiver's wiring. */
        TEST,
        /**
         * News about a group (what was done about it, {@link ActionAdvisor}): a channel that updates in place shows
         * the group's last message again; others post the note alone, unless it is quiet.
         */
        NOTE;

        public String json() {
            return name().toLowerCase();
        }
    }

    public Notification {
        groupLabels = groupLabels == null ? Map.of() : Map.copyOf(groupLabels);
        firing = firing == null ? List.of() : List.copyOf(firing);
        resolved = resolved == null ? List.of() : List.copyOf(resolved);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    public Notification(String id, Kind kind, String receiver, String routeId, String groupId, Map<String, String> groupLabels,
            List<AlertData> firing, List<AlertData> resolved, int muted, boolean firstOfGroup, int maxAlerts, Instant at,
            List<Notification> groups, String requestedBy) {
        this(id, kind, receiver, routeId, groupId, groupLabels, firing, resolved, muted, firstOfGroup, maxAlerts, at, groups,
                requestedBy, null);
    }

    /** News about {@code group} for its receiver. */
    public static Notification note(String id, AlertGroup group, GroupNote note, Instant at) {
        return new Notification(id, Kind.NOTE, group.receiver(), null, group.id(), group.labels(), group.firing(),
                group.resolved(), 0, false, 10, at, List.of(), null, note);
    }

    public static Notification test(String id, String receiver, String requestedBy, Instant at) {
        return new Notification(id, Kind.TEST, receiver, null, null, Map.of(), List.of(), List.of(), 0, true, 0, at, List.of(),
                requestedBy);
    }

    /** Alerts in this notification, over all summarized groups for a storm. */
    public int alertCount() {
        return kind == Kind.STORM ? groups.stream().mapToInt(Notification::alertCount).sum() : firing.size() + resolved.size();
    }

    /**
     * A later message of the group's current episode: a channel that can, edits the group's earlier
     * message instead of posting a new one. A repeat is a new message on purpose (a reminder
     * nobody sees in an edited message is no reminder).
     */
    public boolean continuesGroupMessage() {
        return groupId != null && !firstOfGroup && (kind == Kind.FIRING || kind == Kind.UPDATE || kind == Kind.RESOLVED);
    }
}
