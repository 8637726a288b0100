package dev.ghost.alerting.channel.pagerduty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.ActionAdvisor;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.alerting.notify.Advised;
import dev.ghost.alerting.notify.DeliveryResult;
import dev.ghost.alerting.notify.HttpOutcomes;
import dev.ghost.alerting.notify.Notification;
import dev.ghost.alerting.notify.Notifier;
import dev.ghost.alerting.notify.Redactor;

/**
 * PagerDuty's Events API v2: a group firing is a {@code trigger} and its resolve a {@code resolve},
 * both with the group id as {@code dedup_key}, so a group is one PagerDuty alert for its whole
 * episode and a repeated trigger (a retry after no answer, a later message of the group) lands on
 * that same alert instead of paging again. A test is a change event ({@code /v2/change/enqueue}),
 * which checks the routing key without paging anyone.
 */
public final class PagerDutyNotifier implements Notifier {

    static final int MAX_SUMMARY = 1024;

    private final RestClient http;
    private final String routingKey;
    private final String publicUrl;
    private final String dashboardUrl;
    private final JsonMapper json;
    private final Redactor redactor;
    private final Supplier<ActionAdvisor> advisor;

    /** @param http a client whose base URL is the Events API ({@code https://events.pagerduty.com}) */
    public PagerDutyNotifier(RestClient http, String routingKey, String publicUrl, String dashboardUrl, JsonMapper json,
            Redactor redactor) {
        this(http, routingKey, publicUrl, dashboardUrl, json, redactor, () -> null);
    }

    /** @param advisor what can be done about a group (its actions become the event's links); may supply null */
    public PagerDutyNotifier(RestClient http, String routingKey, String publicUrl, String dashboardUrl, JsonMapper json,
            Redactor redactor, Supplier<ActionAdvisor> advisor) {
        this.advisor = advisor;
        this.http = http;
        this.routingKey = routingKey;
        this.publicUrl = publicUrl;
        this.dashboardUrl = dashboardUrl;
        this.json = json;
        this.redactor = redactor;
    }

    @Override
    public DeliveryResult notify(Notification notification) {
        if (notification.kind() == Notification.Kind.NOTE) {
            return new DeliveryResult.Delivered(); // news about a group: the incident's links already lead to it
        }
        String path = notification.kind() == Notification.Kind.TEST ? "/v2/change/enqueue" : "/v2/enqueue";
        byte[] body = json.writeValueAsBytes(notification.kind() == Notification.Kind.TEST ? change(notification) : event(notification));
        try {
            return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body)
                    .exchange((request, response) -> {
                        int status = response.getStatusCode().value();
                        String reason = "Events API answered " + status;
                        if (status == 400) {
                            reason += ": " + redactor.redact(new String(response.getBody().readNBytes(300), java.nio.charset.StandardCharsets.UTF_8));
                        }
                        return HttpOutcomes.ofStatus(status, response.getHeaders().asMultiValueMap(), reason);
                    });
        } catch (RestClientException | IllegalArgumentException e) {
            return HttpOutcomes.ofFailure(e, redactor);
        }
    }

    /** The group's key in PagerDuty: every message of one group episode lands on one PagerDuty alert. */
    static String dedupKey(Notification notification) {
        return "ghost-" + (notification.groupId() != null ? notification.groupId() : notification.id());
    }

    Map<String, Object> event(Notification notification) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("routing_key", routingKey);
        event.put("dedup_key", dedupKey(notification));
        if (notification.kind() == Notification.Kind.RESOLVED) {
            event.put("event_action", "resolve");
            return event;
        }
        event.put("event_action", "trigger");
        List<AlertData> firing = notification.kind() == Notification.Kind.STORM
                ? notification.groups().stream().flatMap(g -> g.firing().stream()).toList()
                : notification.firing();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("summary", abbreviate(summary(notification, firing)));
        payload.put("source", firing.isEmpty() ? "ghost" : firing.get(0).labels().getOrDefault("service",
                firing.get(0).labels().getOrDefault("target", "ghost")));
        payload.put("severity", severity(firing));
        payload.put("timestamp", notification.at().toString());
        if (!firing.isEmpty()) {
            payload.put("class", firing.get(0).alertname());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("groupLabels", notification.groupLabels());
        details.put("firing", firing.stream().limit(Math.max(1, notification.maxAlerts()))
                .map(alert -> Map.of("summary", alert.summary(), "labels", alert.labels())).toList());
        details.put("resolved", notification.resolved().size());
        details.put("notificationId", notification.id());
        payload.put("custom_details", details);
        event.put("payload", payload);
        event.put("client", "GHOST");
        event.put("client_url", publicUrl + "/alerts");
        List<Map<String, String>> links = new java.util.ArrayList<>(List.of(Map.of("href", dashboardUrl, "text", "Dashboard")));
        for (Map<String, Object> action : Advised.actions(Advised.of(advisor, notification))) {
            if (action.get("url") != null) {
                links.add(Map.of("href", String.valueOf(action.get("url")), "text", String.valueOf(action.get("label"))));
            }
        }
        event.put("links", links);
        return event;
    }

    private Map<String, Object> change(Notification notification) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("summary", "GHOST test message for receiver " + notification.receiver() + ", requested by "
                + notification.requestedBy());
        payload.put("source", "ghost");
        payload.put("timestamp", notification.at().toString());
        return Map.of("routing_key", routingKey, "payload", payload);
    }

    private static String summary(Notification notification, List<AlertData> firing) {
        if (notification.kind() == Notification.Kind.STORM) {
            return "Alert storm: " + notification.groups().size() + " groups, " + notification.alertCount() + " alerts";
        }
        if (firing.size() == 1) {
            return firing.get(0).summary();
        }
        return firing.size() + " alerts firing" + (notification.groupLabels().isEmpty() ? "" : " in " + notification.groupLabels())
                + (firing.isEmpty() ? "" : ": " + firing.get(0).summary() + " and more");
    }

    /** PagerDuty knows critical, error, warning and info. */
    private static String severity(List<AlertData> firing) {
        for (String severity : List.of("critical", "warning", "info")) {
            if (firing.stream().anyMatch(a -> a.severity().equals(severity))) {
                return severity;
            }
        }
        return "error";
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_SUMMARY ? text : text.substring(0, MAX_SUMMARY - 1) + "…";
    }
}
