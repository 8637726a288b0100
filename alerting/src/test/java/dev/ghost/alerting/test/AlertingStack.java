package dev.ghost.alerting.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.net.http.HttpResponse;

import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.event.GhostEvent;
import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real service running alerting (test timings, real Redis) talking to a Slack stand-in, in this
 * JVM: by default {@link AlertingTestApplication}, or the application given (ml-monitor's tests
 * pass theirs). Events go in through the application's {@code POST /events}, as the relay sends them.
 */
public final class AlertingStack implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    public final SlackStandIn slack;
    public TestApps.RunningApp app;
    private final Class<?> application;
    private final Map<String, String> properties;

    public AlertingStack(SlackStandIn slack, Map<String, String> extra) {
        this(AlertingTestApplication.class, slack, extra);
    }

    public AlertingStack(Class<?> application, SlackStandIn slack, Map<String, String> extra) {
        this.application = application;
        this.slack = slack;
        this.properties = new LinkedHashMap<>();
        properties.put("spring.config.additional-location", "classpath:alerting-test.yml");
        properties.put("ghost.alerting.slack.webhook-url", slack.webhookUrl());
        properties.put("ghost.alerting.slack.api-url", slack.apiUrl());
        properties.put("ghost.alerting.receivers.oncall.slack.webhook-url", slack.oncallWebhookUrl());
        // Its own alerting keys: several stacks (and other runs on a shared Redis) never see each other's outbox.
        properties.put("ghost.alerting.namespace", unique("test"));
        properties.putAll(extra);
        start();
    }

    public static AlertingStack webhook(Map<String, String> extra) {
        return new AlertingStack(new SlackStandIn(), extra);
    }

    private static AlertingStack shared;

    /** One webhook-mode stack for every test class that needs no special configuration (started once per JVM). */
    public static synchronized AlertingStack shared() {
        if (shared == null) {
            shared = webhook(Map.of());
            AlertingStack stack = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    stack.close();
                } catch (Exception e) {
                    // the JVM is going away anyway
                }
            }));
        }
        return shared;
    }

    public String url(String path) {
        return app.url(path);
    }

    public static String unique(String prefix) {
        return prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    public void start() {
        app = TestApps.start(application, properties);
    }

    public void stop() {
        app.close();
    }

    /** Sends events to the application's {@code POST /events}, as the relay does; answers the HTTP status. */
    public int events(GhostEvent... events) {
        HttpResponse<String> response = TestHttp.post(app.url("/events"), TestTokens.SERVICE, JSON.writeValueAsString(List.of(events)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return response.statusCode();
    }

    public static GhostEvent event(String type, Object... keyValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            data.put((String) keyValues[i], keyValues[i + 1]);
        }
        return GhostEvent.of(type, "test", data);
    }

    public static GhostEvent down(String service, String instance) {
        return event("health.instance.down", "service", service, "instance", instance, "status", "DOWN", "previous", "UP",
                "reason", "connection refused", "via", "watch");
    }

    public static GhostEvent up(String service, String instance) {
        return event("health.instance.up", "service", service, "instance", instance, "status", "UP", "previous", "DOWN",
                "downMillis", 12_000);
    }

    @Override
    public void close() throws Exception {
        if (app != null) {
            app.close();
        }
        slack.close();
    }
}
