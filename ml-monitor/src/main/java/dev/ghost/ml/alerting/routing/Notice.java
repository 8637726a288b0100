package dev.ghost.ml.alerting.routing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.ghost.ml.alerting.model.AlertData;

/**
 * A message the dispatcher decided to send: about one group, or (when a route's rate limit is
 * reached) one summary of several groups. Rendered for Slack and put in the outbox.
 *
 * @param id        the notification id: the same decision always gets the same id (idempotency)
 * @param firstOfGroup the group's first message (bot-token mode posts it; later ones update it in place)
 * @param muted     alerts of the group currently silenced or inhibited, for a footnote
 * @param groups    for a {@link Kind#STORM}: the groups summarized
 */
public record Notice(String id, Kind kind, String receiver, String routeId, String groupId,
        Map<String, String> groupLabels, List<AlertData> firing, List<AlertData> resolved, int muted,
        boolean firstOfGroup, int maxAlerts, Instant at, List<Notice> groups) {

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
        STORM;

        public String json() {
            return name().toLowerCase();
        }
    }

    public Notice {
        groupLabels = Map.copyOf(groupLabels);
        firing = List.copyOf(firing);
        resolved = List.copyOf(resolved);
        groups = List.copyOf(groups);
    }

    /** Alerts in this notice, over all summarized groups for a storm. */
    public int alertCount() {
        return kind == Kind.STORM ? groups.stream().mapToInt(Notice::alertCount).sum() : firing.size() + resolved.size();
    }
}
