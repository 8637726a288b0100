package dev.ghost.alerting.channel.slack;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.google.gson.Gson;
import com.slack.api.model.Attachment;
import com.slack.api.model.block.ContextBlockElement;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.util.json.GsonFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;

import dev.ghost.alerting.ActionAdvisor;
import dev.ghost.alerting.Advice;
import dev.ghost.alerting.AlertGroup;
import dev.ghost.alerting.AlertSignal;
import dev.ghost.alerting.GroupNote;
import dev.ghost.alerting.SuggestedAction;
import dev.ghost.alerting.Link;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.alerting.model.Occurrence;
import dev.ghost.alerting.notify.Notification;
import dev.ghost.common.slack.SlackText;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;

/**
 * Block Kit messages an on-call engineer can act on: severity colour and emoji; what broke,
 * where and since when; the cause GHOST classified; a sparkline of the series or of the streak;
 * links to the dashboard, the patch summary and the anomaly; the command that silences it. A
 * group lists at most {@code max-alerts-per-message} alerts and counts the rest.
 */
public class SlackRenderer {

    static final String RESOLVED_COLOUR = "#2EB67D";
    private static final int MAX_HEADER = 150;
    private static final int MAX_TAIL = 400;
    private static final Set<String> SHOWN_ELSEWHERE = Set.of("alertname", "severity");

    /** A message as Slack takes it: the plain-text line notifications and screen readers show, and the attachments JSON. */
    public record SlackMessage(String text, String attachments) {
    }

    private static final Logger log = LoggerFactory.getLogger(SlackRenderer.class);
    private static final int MAX_NOTES = 12;
    private static final int MAX_BUTTONS = 5;
    private static final Pattern SLACK_USER = Pattern.compile("[UW][A-Z0-9]{2,30}");

    private final String publicUrl;
    private final String dashboardUrl;
    private final Supplier<ActionAdvisor> advisor;
    private final Gson gson = GsonFactory.createSnakeCase();

    /**
     * @param publicUrl    how people reach the service running alerting (the silence command, the alert list)
     * @param dashboardUrl the health dashboard, linked from every message
     */
    public SlackRenderer(String publicUrl, String dashboardUrl) {
        this(publicUrl, dashboardUrl, () -> null);
    }

    /** @param advisor what can be done about a group and what was done (buttons, notes); may supply null */
    public SlackRenderer(String publicUrl, String dashboardUrl, Supplier<ActionAdvisor> advisor) {
        this.publicUrl = publicUrl;
        this.dashboardUrl = dashboardUrl;
        this.advisor = advisor;
    }

    public SlackMessage render(Notification notification) {
        return switch (notification.kind()) {
            case STORM -> storm(notification);
            case TEST -> test(notification);
            case NOTE -> note(notification);
            default -> group(notification);
        };
    }

    /** A note alone, for a channel that cannot show the group's message again: one line naming the group. */
    private SlackMessage note(Notification notice) {
        GroupNote note = notice.note();
        String text = note == null ? "" : noteLine(note);
        String scope = notice.groupLabels().entrySet().stream().map(e -> SlackText.code(e.getKey() + "=" + e.getValue()))
                .collect(Collectors.joining(" "));
        List<LayoutBlock> blocks = List.of(section(s -> s.text(markdownText(text))),
                context(c -> c.elements(List.of(markdownText("About group " + scope + " · " + SlackText.link(dashboardUrl, "Dashboard"))))));
        return message(note == null ? "GHOST" : note.text(), "#36C5F0", blocks);
    }

    private Advice advice(Notification notice) {
        ActionAdvisor current = advisor.get();
        if (current == null || notice.groupId() == null) {
            return Advice.none();
        }
        try {
            Advice advice = current.advise(new AlertGroup(notice.groupId(), notice.receiver(), notice.groupLabels(),
                    notice.firing(), notice.resolved(), Set.of()));
            return advice == null ? Advice.none() : advice;
        } catch (RuntimeException e) {
            log.warn("No actions for group {}: the advisor failed ({})", notice.groupId(), e.toString());
            return Advice.none();
        }
    }

    /** A note as one mrkdwn line: its text made inert, the Slack user it names mentioned. */
    static String noteLine(GroupNote note) {
        String who = note.slackUser() != null && SLACK_USER.matcher(note.slackUser()).matches() ? " <@" + note.slackUser() + ">" : "";
        return (note.at() == null ? "" : date(note.at()) + " ") + esc(note.text()) + who;
    }

    /** An actions block of buttons; actions that cannot be clicked here appear as their command instead. */
    private static void actions(List<SuggestedAction> actions, List<LayoutBlock> blocks, String blockId) {
        List<BlockElement> buttons = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        for (SuggestedAction action : actions) {
            if (action.value() != null && buttons.size() < MAX_BUTTONS) {
                buttons.add(ButtonElement.builder().actionId(abbreviate(action.id(), 255))
                        .text(plainText(abbreviate(esc(action.label()), 75), true)).value(abbreviate(action.value(), 2000))
                        .style(action.style()).build());
            } else if (action.command() != null) {
                commands.add(esc(action.label()) + ": " + SlackText.code(action.command()));
            }
        }
        if (!buttons.isEmpty()) {
            blocks.add(ActionsBlock.builder().blockId(abbreviate(blockId, 255)).elements(buttons).build());
        }
        if (!commands.isEmpty()) {
            blocks.add(context(c -> c.elements(List.of(markdownText(String.join("\n", commands))))));
        }
    }

    private SlackMessage test(Notification notification) {
        String title = "🧪 GHOST test message";
        List<LayoutBlock> blocks = List.of(
                header(h -> h.text(plainText(esc(title), true))),
                section(s -> s.text(markdownText("Alerts routed to receiver *" + esc(notification.receiver())
                        + "* arrive here. Requested by *" + esc(notification.requestedBy()) + "* at " + date(notification.at()) + "."))),
                context(c -> c.elements(List.of(markdownText(SlackText.link(dashboardUrl, "Dashboard") + " · GHOST alerting")))));
        return message(title + " (receiver " + notification.receiver() + ")", "#36C5F0", blocks);
    }

    private SlackMessage group(Notification notice) {
        List<AlertData> shown = new ArrayList<>(notice.firing());
        shown.addAll(notice.resolved());
        boolean resolved = notice.kind() == Notification.Kind.RESOLVED;
        String severity = resolved ? "resolved" : topSeverity(notice.firing());
        String headline = headline(notice, resolved ? notice.resolved() : notice.firing());
        String title = emoji(severity) + " " + status(notice) + " " + headline;

        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(esc(abbreviate(title, MAX_HEADER)), true))));
        String scope = notice.groupLabels().isEmpty() ? "all alerts of this route"
                : notice.groupLabels().entrySet().stream().map(e -> SlackText.code(e.getKey() + "=" + e.getValue()))
                        .collect(Collectors.joining(" "));
        blocks.add(context(c -> c.elements(List.of(markdownText("*" + capitalize(severity) + "* · group " + scope + " · "
                + notice.firing().size() + " firing, " + notice.resolved().size() + " resolved")))));
        Advice advice = advice(notice);
        int limit = notice.maxAlerts();
        for (AlertData alert : shown.subList(0, Math.min(limit, shown.size()))) {
            blocks.add(divider());
            blocks.add(section(s -> s.text(markdownText(describe(alert, notice.at())))));
            String links = links(alert);
            blocks.add(context(c -> c.elements(List.of(markdownText(links)))));
            if (alert.firing() && !resolved) {
                actions(advice.perAlert().getOrDefault(alert.fingerprint(), List.of()), blocks, "alert:" + alert.fingerprint());
            }
        }
        if (!advice.notes().isEmpty()) {
            List<GroupNote> notes = advice.notes();
            String lines = notes.subList(Math.max(0, notes.size() - MAX_NOTES), notes.size()).stream()
                    .map(SlackRenderer::noteLine).collect(Collectors.joining("\n"));
            blocks.add(divider());
            blocks.add(section(s -> s.text(markdownText(abbreviate(lines, 2900)))));
        }
        if (!resolved && !advice.forGroup().isEmpty()) {
            actions(advice.forGroup(), blocks, "group:" + notice.groupId());
        }
        List<ContextBlockElement> footer = new ArrayList<>();
        if (shown.size() > limit) {
            footer.add(markdownText("*" + (shown.size() - limit) + " more alerts in this group* — all of them at "
                    + SlackText.code("GET " + publicUrl + "/alerts")));
        }
        if (notice.muted() > 0) {
            footer.add(markdownText(notice.muted() + (notice.muted() == 1 ? " alert" : " alerts")
                    + " of this group silenced or inhibited, not shown"));
        }
        if (!resolved) {
            footer.add(markdownText("Silence: " + SlackText.code(silenceCommand(notice.groupLabels().isEmpty()
                    ? identity(shown.get(0)) : notice.groupLabels()))));
        }
        if (!footer.isEmpty()) {
            blocks.add(divider());
            blocks.add(context(c -> c.elements(footer)));
        }
        return message(emoji(severity) + " " + status(notice) + " " + headline, colour(severity), blocks);
    }

    private SlackMessage storm(Notification notice) {
        int alerts = notice.alertCount();
        String title = "🌪️ Alert storm: " + notice.groups().size() + " groups, " + alerts + " alerts";
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(esc(title), true))));
        blocks.add(context(c -> c.elements(List.of(markdownText(
                "This route's rate limit was reached, so these groups come as one summary instead of one message each.")))));
        int shownGroups = Math.min(notice.maxAlerts(), notice.groups().size());
        int shownAlerts = 0;
        for (Notification group : notice.groups().subList(0, shownGroups)) {
            boolean resolved = group.kind() == Notification.Kind.RESOLVED;
            String severity = resolved ? "resolved" : topSeverity(group.firing());
            List<AlertData> members = resolved ? group.resolved() : group.firing();
            String line = emoji(severity) + " *" + esc(headline(group, members)) + "* — " + group.firing().size() + " firing, "
                    + group.resolved().size() + " resolved";
            AlertData first = members.isEmpty() ? null : members.get(0);
            String detail = first == null ? "" : "\n" + esc(first.summary()) + cause(first).map(c -> " · cause: " + c).orElse("");
            blocks.add(section(s -> s.text(markdownText(line + detail))));
            shownAlerts += group.alertCount();
        }
        List<ContextBlockElement> footer = new ArrayList<>();
        if (notice.groups().size() > shownGroups) {
            footer.add(markdownText("*" + (alerts - shownAlerts) + " more alerts in " + (notice.groups().size() - shownGroups)
                    + " more groups* — all of them at " + SlackText.code("GET " + publicUrl + "/alerts")));
        }
        footer.add(markdownText(SlackText.link(dashboardUrl, "Dashboard")));
        blocks.add(context(c -> c.elements(footer)));
        String severity = topSeverity(notice.groups().stream().flatMap(g -> g.firing().stream()).toList());
        return message(title, colour(severity), blocks);
    }

    /** {@code text} is plain words from alerts: Slack still parses mentions and links in it, so it is escaped too. */
    private SlackMessage message(String text, String colour, List<LayoutBlock> blocks) {
        String inert = esc(text);
        Attachment attachment = Attachment.builder().color(colour).blocks(blocks).fallback(inert).build();
        return new SlackMessage(inert, gson.toJson(List.of(attachment)));
    }

    /** What, where, since, cause, trend and detail of one alert, as Slack mrkdwn. */
    String describe(AlertData alert, Instant now) {
        StringBuilder out = new StringBuilder();
        boolean resolved = !alert.firing();
        out.append(resolved ? "✅ " : emoji(alert.severity()) + " ").append('*').append(esc(alert.summary())).append('*');
        Map<String, String> where = new TreeMap<>(alert.labels());
        where.keySet().removeAll(SHOWN_ELSEWHERE);
        if (!where.isEmpty()) {
            out.append("\n*Where:* ").append(where.entrySet().stream().map(e -> SlackText.code(e.getKey() + "=" + e.getValue()))
                    .collect(Collectors.joining(" ")));
        }
        Instant since = alert.startsAt() != null ? alert.startsAt() : alert.activeAt();
        if (resolved) {
            out.append("\n*Resolved:* ").append(date(alert.endsAt())).append(" after ")
                    .append(duration(Duration.between(since, alert.endsAt())));
        } else {
            out.append("\n*Since:* ").append(date(since)).append(" (").append(duration(Duration.between(since, now))).append(')');
        }
        cause(alert).ifPresent(cause -> out.append("\n*Cause (GHOST classified):* ").append(cause));
        if (alert.flapping()) {
            out.append("\n*Flapping:* ").append(alert.flips() > 0 ? alert.flips() + " flips" : "yes")
                    .append(" — one alert until it settles");
        }
        if (alert.count() > 1) {
            out.append("\n*Occurrences:* ").append(alert.count()).append(breakdown(alert.occurrences()));
        }
        String trend = !alert.series().isEmpty() ? Sparkline.of(alert.series())
                : Sparkline.ofOccurrences(alert.occurrences(), since, resolved ? alert.endsAt() : now, Sparkline.WIDTH);
        if (!trend.isEmpty()) {
            out.append("\n*Trend:* ").append(SlackText.code(trend));
        }
        Map<String, String> a = alert.annotations();
        for (String key : List.of("reason", "error", "prediction", "template", "detail")) {
            if (a.containsKey(key) && !a.get(key).isBlank()) {
                out.append("\n*").append(capitalize(key)).append(":* ").append(esc(abbreviate(a.get(key), 300)));
            }
        }
        if (a.containsKey("step")) {
            out.append("\n*Step:* ").append(SlackText.code(abbreviate(a.get("step"), 200)))
                    .append(a.containsKey("exitCode") ? " exited " + esc(a.get("exitCode")) : "");
        }
        if (a.containsKey("outputTail") && !a.get("outputTail").isBlank()) {
            out.append("\n```").append(esc(tail(a.get("outputTail")))).append("```");
        }
        return out.toString();
    }

    private Optional<String> cause(AlertData alert) {
        String cause = alert.annotations().get(AlertSignal.CAUSE);
        if (cause == null || cause.isBlank()) {
            return Optional.empty();
        }
        String probability = alert.annotations().get(AlertSignal.CAUSE_PROBABILITY);
        String text = "*" + esc(cause) + "*";
        try {
            if (probability != null) {
                text += " (" + Math.round(Double.parseDouble(probability) * 100) + "%)";
            }
        } catch (NumberFormatException e) {
            // shown without a probability
        }
        return Optional.of(text);
    }

    private static String breakdown(List<Occurrence> occurrences) {
        Map<String, Long> causes = occurrences.stream().filter(o -> o.cause() != null)
                .collect(Collectors.groupingBy(Occurrence::cause, LinkedHashMap::new, Collectors.counting()));
        if (causes.isEmpty() || (causes.size() == 1 && occurrences.size() <= 1)) {
            return "";
        }
        return " (" + causes.entrySet().stream().map(e -> esc(e.getKey()) + " ×" + e.getValue())
                .collect(Collectors.joining(", ")) + (occurrences.size() >= 20 ? ", last 20" : "") + ")";
    }

    private String links(AlertData alert) {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("Dashboard", dashboardUrl);
        for (Link link : alert.links()) {
            links.put(link.title(), link.url());
        }
        return links.entrySet().stream().map(e -> SlackText.link(absolute(e.getValue()), e.getKey()))
                .collect(Collectors.joining(" · "));
    }

    /** Links of signals may be paths of the service running alerting. */
    private String absolute(String url) {
        return url != null && url.startsWith("/") ? publicUrl + url : url;
    }

    private String silenceCommand(Map<String, String> labels) {
        String matchers = labels.entrySet().stream()
                .map(e -> "{\"name\":\"" + json(e.getKey()) + "\",\"op\":\"=\",\"value\":\"" + json(e.getValue()) + "\"}")
                .collect(Collectors.joining(","));
        return "curl -X POST " + publicUrl + "/silences -H \"Authorization: Bearer $GHOST_ADMIN_TOKEN\""
                + " -H \"Content-Type: application/json\" -d '{\"matchers\":[" + matchers
                + "],\"duration\":\"2h\",\"comment\":\"investigating\"}'";
    }

    private static Map<String, String> identity(AlertData alert) {
        Map<String, String> labels = new TreeMap<>(alert.subject());
        labels.put("alertname", alert.alertname());
        return labels;
    }

    private static String headline(Notification notice, List<AlertData> alerts) {
        if (alerts.size() == 1) {
            return alerts.get(0).summary();
        }
        Map<String, Long> names = alerts.stream().collect(Collectors.groupingBy(AlertData::alertname, LinkedHashMap::new,
                Collectors.counting()));
        String what = names.entrySet().stream().map(e -> e.getKey() + (e.getValue() > 1 ? " ×" + e.getValue() : ""))
                .collect(Collectors.joining(", "));
        Set<String> where = new LinkedHashSet<>(notice.groupLabels().values());
        return alerts.size() + " alerts" + (where.isEmpty() ? "" : " in " + String.join(" / ", where)) + ": " + what;
    }

    private static String status(Notification notice) {
        return switch (notice.kind()) {
            case FIRING, UPDATE -> "[FIRING:" + notice.firing().size() + "]";
            case REPEAT -> "[STILL FIRING:" + notice.firing().size() + "]";
            case RESOLVED -> "[RESOLVED]";
            case STORM -> "[STORM]";
            case TEST -> "[TEST]";
            case NOTE -> "[NOTE]";
        };
    }

    private static String topSeverity(List<AlertData> alerts) {
        for (String severity : List.of("critical", "warning", "info")) {
            if (alerts.stream().anyMatch(a -> a.severity().equals(severity))) {
                return severity;
            }
        }
        return alerts.isEmpty() ? "info" : alerts.get(0).severity();
    }

    static String emoji(String severity) {
        return switch (severity) {
            case "critical" -> "🔴";
            case "warning" -> "🟠";
            case "info" -> "🔵";
            case "resolved" -> "✅";
            default -> "⚪";
        };
    }

    static String colour(String severity) {
        return switch (severity) {
            case "critical" -> "#E01E5A";
            case "warning" -> "#ECB22E";
            case "info" -> "#36C5F0";
            case "resolved" -> RESOLVED_COLOUR;
            default -> "#9E9E9E";
        };
    }

    /** A date every reader sees in their own time zone, with the UTC time as fallback. */
    static String date(Instant at) {
        return "<!date^" + at.getEpochSecond() + "^{date_short_pretty} {time_secs}|" + at.truncatedTo(ChronoUnit.SECONDS) + ">";
    }

    static String duration(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
        }
        return seconds / 86_400 + "d " + seconds % 86_400 / 3600 + "h";
    }

    private static String esc(String text) {
        return SlackText.escape(text);
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("'", "'\\''");
    }

    private static String tail(String output) {
        String trimmed = output.strip().replace("```", "'''");
        return trimmed.length() <= MAX_TAIL ? trimmed : "…" + trimmed.substring(trimmed.length() - MAX_TAIL);
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String capitalize(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
