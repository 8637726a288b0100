package dev.ghost.alerting.channel.slack;

import java.util.ArrayList;
import java.util.List;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.audit.AuditConfig;
import com.slack.api.methods.MethodsConfig;
import com.slack.api.rate_limits.metrics.MetricsDatastore;
import com.slack.api.scim.SCIMConfig;
import com.slack.api.scim2.SCIM2Config;

import dev.ghost.alerting.config.AlertingProperties;
import dev.ghost.alerting.notify.Notifier;
import dev.ghost.alerting.notify.Redactor;

/** The Slack plug-in: one SDK client for every Slack receiver, and a notifier per receiver. */
public final class SlackChannel implements AutoCloseable {

    private final Slack slack;
    private final AlertingProperties.Slack settings;
    private final SlackRenderer renderer;
    private final SlackMessages messages;
    private final Redactor redactor;

    public SlackChannel(AlertingProperties.Slack settings, SlackRenderer renderer, SlackMessages messages, Redactor redactor) {
        this.settings = settings;
        this.renderer = renderer;
        this.messages = messages;
        this.redactor = redactor;
        this.slack = Slack.getInstance(config(settings));
    }

    /** The SDK configuration GHOST talks to Slack with (also the bench's baseline client). */
    public static SlackConfig config(AlertingProperties.Slack settings) {
        SlackConfig config = new SlackConfig();
        String prefix = settings.apiUrl().endsWith("/") ? settings.apiUrl() : settings.apiUrl() + "/";
        config.setMethodsEndpointUrlPrefix(prefix);
        // Stats would add calls of their own (an extra auth.test) and background threads.
        config.setStatsEnabled(false);
        config.getMethodsConfig().setStatsEnabled(false);
        stopMetricsThreads(config);
        // The SDK's default listeners log request URLs (a webhook URL is a secret) at debug level: none.
        config.setHttpClientResponseHandlers(new ArrayList<>());
        config.setPrettyResponseLoggingEnabled(false);
        config.setFailOnUnknownProperties(false);
        int timeout = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        config.setHttpClientCallTimeoutMillis(timeout);
        config.setHttpClientReadTimeoutMillis(timeout);
        config.setHttpClientWriteTimeoutMillis(timeout);
        return config;
    }

    /**
     * Disabled stats do not stop the rate-limit metrics thread the SDK starts for every datastore it creates: four
     * per configuration (methods, audit, SCIM, SCIM2), for this one, for {@link SlackConfig#DEFAULT} and for each
     * API's default singleton. Twelve threads waking every second in an idle ml-monitor; GHOST uses none of them.
     */
    private static void stopMetricsThreads(SlackConfig config) {
        List<MetricsDatastore> datastores = new ArrayList<>(List.of(MethodsConfig.DEFAULT_SINGLETON.getMetricsDatastore(),
                AuditConfig.DEFAULT_SINGLETON.getMetricsDatastore(), SCIMConfig.DEFAULT_SINGLETON.getMetricsDatastore(),
                SCIM2Config.DEFAULT_SINGLETON.getMetricsDatastore()));
        for (SlackConfig each : List.of(config, SlackConfig.DEFAULT)) {
            datastores.addAll(List.of(each.getMethodsConfig().getMetricsDatastore(), each.getAuditConfig().getMetricsDatastore(),
                    each.getSCIMConfig().getMetricsDatastore(), each.getSCIM2Config().getMetricsDatastore()));
        }
        datastores.forEach(datastore -> datastore.setStatsEnabled(false));
    }

    /** An incoming webhook: every notification a new message. */
    public Notifier webhook(String webhookUrl) {
        return SlackNotifier.webhook(slack, renderer, settings, redactor, webhookUrl);
    }

    /** chat.postMessage / chat.update with the bot token into {@code channel}: a group's messages updated in place. */
    public Notifier bot(String channel) {
        return SlackNotifier.bot(slack, renderer, settings, redactor, channel, messages);
    }

    @Override
    public void close() throws Exception {
        slack.close();
    }
}
