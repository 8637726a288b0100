package dev.ghost.health.watchdog;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.leader.Leadership;
import dev.ghost.common.slack.SlackText;
import dev.ghost.health.config.HealthProperties;
import dev.ghost.health.fleet.FleetListener;
import dev.ghost.health.fleet.FleetView;
import dev.ghost.health.fleet.Sample;
import dev.ghost.health.fleet.ServiceView;
import dev.ghost.health.fleet.Status;

/**
 * Who pages when the pager is gone: alerting runs in ml-monitor, so when no ml-monitor answers,
 * nothing GHOST raises reaches anyone. The leading health-aggregator then posts one plain message
 * straight to a Slack incoming webhook, and one more when ml-monitor is back. Once per outage
 * across a pair and restarts: the page is recorded in Redis before it is sent (a second leader finds
 * it there). A service never seen, or not seen yet since this member started, is not paged: a
 * fresh stack is not an outage.
 */
public class AlertingWatchdog implements FleetListener {

    private static final Logger log = LoggerFactory.getLogger(AlertingWatchdog.class);

    private final HealthProperties.Watchdog settings;
    private final Leadership leadership;
    private final StringRedisTemplate redis;
    private final String pagedKey;
    private final JsonMapper json;
    private final HttpClient http;
    private final Clock clock;
    private Instant downSince;

    public AlertingWatchdog(HealthProperties.Watchdog settings, Leadership leadership, StringRedisTemplate redis, String pagedKey,
            JsonMapper json, Clock clock) {
        this.settings = settings;
        this.leadership = leadership;
        this.redis = redis;
        this.pagedKey = pagedKey;
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    @Override
    public void round(FleetView.Round round, List<Sample> samples, FleetView view) {
        ServiceView service = view.services().stream().filter(s -> s.name().equals(settings.service())).findFirst().orElse(null);
        if (service == null || service.status() == Status.UNKNOWN) {
            return;
        }
        Instant now = clock.instant();
        boolean down = service.status() == Status.DOWN;
        if (!down) {
            downSince = null;
            if (leadership.isLeader()) {
                recovered(service);
            }
            return;
        }
        if (downSince == null) {
            downSince = service.since() != null ? service.since() : now;
        }
        if (leadership.isLeader() && !downSince.plus(settings.after()).isAfter(now)) {
            page(service, downSince);
        }
    }

    private void page(ServiceView service, Instant since) {
        try {
            if (!Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(pagedKey, since.toString()))) {
                return; // paged already, by this member or the one before it
            }
        } catch (RuntimeException e) {
            log.warn("Watchdog: {} is DOWN and Redis is unreachable ({}); paging without a record", settings.service(), e.getMessage());
        }
        String text = ":rotating_light: *GHOST cannot page:* " + SlackText.escape(settings.service()) + " is DOWN since "
                + since + " (" + SlackText.escape(service.up() + " of " + service.total()) + " instances answer). "
                + "Alerts raised meanwhile wait until it is back. Sent by the health-aggregator's watchdog.";
        if (!send(text)) {
            redis.delete(pagedKey); // not paged after all: the next round tries again
        }
    }

    private void recovered(ServiceView service) {
        String since;
        try {
            since = redis.opsForValue().getAndDelete(pagedKey);
        } catch (RuntimeException e) {
            return;
        }
        if (since != null) {
            send(":white_check_mark: *GHOST can page again:* " + SlackText.escape(settings.service()) + " is UP (down since "
                    + since + ").");
        }
    }

    /** Whether Slack took it (or there is nowhere to send it: then the log is all there is). */
    private boolean send(String text) {
        log.warn("Watchdog: {}", text);
        if (settings.webhookUrl().isBlank()) {
            log.warn("Watchdog: no webhook configured (ghost.health.watchdog.webhook-url / SLACK_WEBHOOK_URL); nobody was paged");
            return true;
        }
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(settings.webhookUrl()))
                    .timeout(settings.timeout()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("text", text)))).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                return true;
            }
            log.warn("Watchdog: Slack answered {} to the page", response.statusCode());
        } catch (IOException e) {
            log.warn("Watchdog: the page could not be sent: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
