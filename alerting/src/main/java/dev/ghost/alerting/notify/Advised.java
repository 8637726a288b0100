package dev.ghost.alerting.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.ghost.alerting.ActionAdvisor;
import dev.ghost.alerting.Advice;
import dev.ghost.alerting.AlertGroup;
import dev.ghost.alerting.SuggestedAction;

/**
 * What an {@link ActionAdvisor} offers for a notification's group, for channels without buttons
 * (the signed webhook, PagerDuty): the actions as links and commands. Never throws.
 */
public final class Advised {

    private Advised() {
    }

    public static Advice of(Supplier<ActionAdvisor> advisor, Notification notification) {
        ActionAdvisor current = advisor == null ? null : advisor.get();
        if (current == null || notification.groupId() == null) {
            return Advice.none();
        }
        try {
            Advice advice = current.advise(new AlertGroup(notification.groupId(), notification.receiver(), notification.groupLabels(),
                    notification.firing(), notification.resolved(), null));
            return advice == null ? Advice.none() : advice;
        } catch (RuntimeException e) {
            return Advice.none();
        }
    }

    /** Each action as {alert, id, label, url, command} (alert null for the group's own). */
    public static List<Map<String, Object>> actions(Advice advice) {
        List<Map<String, Object>> out = new ArrayList<>();
        advice.perAlert().forEach((fingerprint, actions) -> actions.forEach(action -> out.add(action(fingerprint, action))));
        advice.forGroup().forEach(action -> out.add(action(null, action)));
        return out;
    }

    private static Map<String, Object> action(String fingerprint, SuggestedAction action) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (fingerprint != null) {
            out.put("alert", fingerprint);
        }
        out.put("id", action.id());
        out.put("label", action.label());
        if (action.url() != null) {
            out.put("url", action.url());
        }
        if (action.command() != null) {
            out.put("command", action.command());
        }
        return out;
    }
}
