package dev.ghost.alerting;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.ghost.alerting.model.AlertData;

/**
 * What alerting lets a module that acts on alerts (remediation) read and do, without its internals:
 * the alerts as the loop last saw them, the groups their messages belong to, silences, and a way to
 * have a group's message shown again with news.
 */
public interface AlertBook {

    /**
     * Whether this instance runs alerting's loop (of a pair, only the leader does): decisions that must be
     * taken once — automatic runs, re-pages — are taken only where this is true.
     */
    boolean active();

    /** Every alert the loop holds (pending, firing, recently resolved), as of its last pass. */
    List<AlertData> alerts();

    Optional<AlertData> alert(String fingerprint);

    /** The groups whose messages show this alert (one per matching route; the first is its main one). */
    List<AlertGroup> groupsOf(AlertData alert);

    Optional<AlertGroup> group(String groupId);

    /** Ids of the active silences that mute this alert (empty: none). */
    List<String> silencedBy(AlertData alert);

    /** Silences alerts with exactly these labels for {@code duration}; answers the silence's id. */
    String silence(Map<String, String> labels, Duration duration, String createdBy, String comment);

    /**
     * The group's message should show news (its advisor's notes changed): a channel that updates
     * messages in place re-renders the group's last message; one that cannot posts {@code news} as a
     * message of its own unless it is quiet. Queued through the receiver's outbox, after what is
     * already queued for it.
     */
    void refresh(String groupId, GroupNote news);
}
