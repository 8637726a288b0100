package dev.ghost.alerting.channel.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.ActionAdvisor;
import dev.ghost.alerting.Advice;
import dev.ghost.alerting.GroupNote;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.alerting.notify.Advised;
import dev.ghost.alerting.notify.DeliveryResult;
import dev.ghost.alerting.notify.HttpOutcomes;
import dev.ghost.alerting.notify.Notification;
import dev.ghost.alerting.notify.Notifier;
import dev.ghost.alerting.notify.Redactor;

/**
 * A generic JSON webhook: Alertmanager's webhook payload (version 4: status, receiver, groupKey,
 * groupLabels, commonLabels, alerts with labels, annotations, startsAt/endsAt and fingerprint),
 * plus a {@code ghost} member with the notification id and kind, so existing Alertmanager webhook
 * consumers read it as they are. Every request is signed so the receiving end knows it is GHOST's
 * and fresh: {@code X-Ghost-Timestamp} (Unix seconds) and {@code X-Ghost-Signature: v1=<hex>},
 * the HMAC-SHA256 with the shared secret of {@code v1:<timestamp>:<body>} (the scheme Slack and
 * Stripe use). {@code X-Ghost-Notification-Id} lets it drop a retry it already has: a plain
 * webhook cannot be asked whether it got an unanswered request, so retries are the receiving
 * end's to deduplicate.
 */
public final class SignedWebhookNotifier implements Notifier {

    public static final String SIGNATURE_HEADER = "X-Ghost-Signature";
    public static final String TIMESTAMP_HEADER = "X-Ghost-Timestamp";
    public static final String ID_HEADER = "X-Ghost-Notification-Id";

    private final RestClient http;
    private final String url;
    private final byte[] secret;
    private final String receiver;
    private final String publicUrl;
    private final JsonMapper json;
    private final Redactor redactor;
    private final Clock clock;
    private final Supplier<ActionAdvisor> advisor;

    public SignedWebhookNotifier(RestClient http, String url, String secret, String receiver, String publicUrl, JsonMapper json,
            Redactor redactor, Clock clock) {
        this(http, url, secret, receiver, publicUrl, json, redactor, clock, () -> null);
    }

    /** @param advisor what can be done about a group (sent as {@code ghost.actions}: links and commands); may supply null */
    public SignedWebhookNotifier(RestClient http, String url, String secret, String receiver, String publicUrl, JsonMapper json,
            Redactor redactor, Clock clock, Supplier<ActionAdvisor> advisor) {
        this.advisor = advisor;
        this.http = http;
        this.url = url;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.receiver = receiver;
        this.publicUrl = publicUrl;
        this.json = json;
        this.redactor = redactor;
        this.clock = clock;
    }

    @Override
    public DeliveryResult notify(Notification notification) {
        byte[] body = json.writeValueAsBytes(payload(notification));
        String timestamp = String.valueOf(clock.instant().getEpochSecond());
        try {
            return http.post().uri(url)
                    .contentType(MediaType.APPLICATION_JSON)
                    .header(ID_HEADER, notification.id())
                    .header(TIMESTAMP_HEADER, timestamp)
                    .header(SIGNATURE_HEADER, signature(secret, timestamp, body))
                    .body(body)
                    .exchange((request, response) -> HttpOutcomes.ofStatus(response.getStatusCode().value(),
                            response.getHeaders().asMultiValueMap(), "webhook answered " + response.getStatusCode().value()));
        } catch (RestClientException | IllegalArgumentException e) {
            return HttpOutcomes.ofFailure(e, redactor);
        }
    }

    /** {@code v1=} and the hex HMAC-SHA256 of {@code v1:<timestamp>:<body>}: what the receiving end recomputes. */
    public static String signature(byte[] secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(("v1:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    Map<String, Object> payload(Notification notification) {
        List<AlertData> alerts = new ArrayList<>();
        if (notification.kind() == Notification.Kind.STORM) {
            notification.groups().forEach(group -> {
                alerts.addAll(group.firing());
                alerts.addAll(group.resolved());
            });
        } else {
            alerts.addAll(notification.firing());
            alerts.addAll(notification.resolved());
        }
        int limit = notification.maxAlerts() > 0 ? Math.min(notification.maxAlerts(), alerts.size()) : alerts.size();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", "4");
        body.put("groupKey", notification.groupId());
        body.put("truncatedAlerts", alerts.size() - limit);
        body.put("status", notification.kind() == Notification.Kind.RESOLVED ? "resolved" : "firing");
        body.put("receiver", receiver);
        body.put("groupLabels", notification.groupLabels());
        body.put("commonLabels", common(alerts, true));
        body.put("commonAnnotations", common(alerts, false));
        body.put("externalURL", publicUrl);
        body.put("alerts", alerts.subList(0, limit).stream().map(this::alert).toList());
        Map<String, Object> ghost = new LinkedHashMap<>();
        ghost.put("notificationId", notification.id());
        ghost.put("kind", notification.kind().json());
        ghost.put("muted", notification.muted());
        if (notification.requestedBy() != null) {
            ghost.put("requestedBy", notification.requestedBy());
        }
        if (notification.note() != null) {
            ghost.put("note", Map.of("text", notification.note().text(), "at", String.valueOf(notification.note().at())));
        }
        if (notification.kind() != Notification.Kind.STORM && notification.kind() != Notification.Kind.TEST) {
            Advice advice = Advised.of(advisor, notification);
            if (!advice.isEmpty()) {
                ghost.put("actions", Advised.actions(advice));
                ghost.put("notes", advice.notes().stream().map(GroupNote::text).toList());
            }
        }
        body.put("ghost", ghost);
        return body;
    }

    private Map<String, Object> alert(AlertData alert) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", alert.firing() ? "firing" : "resolved");
        out.put("labels", new TreeMap<>(alert.labels()));
        out.put("annotations", new TreeMap<>(alert.annotations()));
        out.put("startsAt", alert.startsAt() != null ? alert.startsAt() : alert.activeAt());
        out.put("endsAt", alert.firing() ? null : alert.endsAt());
        out.put("generatorURL", publicUrl + "/alerts?filter=alertname=" + alert.alertname());
        out.put("fingerprint", alert.fingerprint());
        return out;
    }

    /** Labels (or annotations) with the same value in every alert, as Alertmanager's common labels. */
    private static Map<String, String> common(List<AlertData> alerts, boolean labels) {
        if (alerts.isEmpty()) {
            return Map.of();
        }
        Map<String, String> shared = new TreeMap<>(labels ? alerts.get(0).labels() : alerts.get(0).annotations());
        for (AlertData alert : alerts) {
            Map<String, String> these = labels ? alert.labels() : alert.annotations();
            shared.entrySet().removeIf(e -> !e.getValue().equals(these.get(e.getKey())));
        }
        return shared;
    }
}
