package dev.ghost.e2e.support;

import java.util.HashMap;
import java.util.Map;

import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.ml.MlMonitorApplication;
import dev.ghost.registry.TestRegistry;
import dev.ghost.relay.RelayApplication;

/** How the end-to-end stacks start GHOST's services, so each test says only what is particular to it. */
public final class GhostServices {

    private GhostServices() {
    }

    /**
     * A client of the test registry, with Eureka timings a loaded 2-core machine keeps up with (a late
     * heartbeat must not evict a live service); leaving the relay's rotation and the aggregator's DOWN
     * do not wait for Eureka.
     */
    public static Map<String, String> discovery(TestRegistry registry) {
        Map<String, String> properties = new HashMap<>(registry.clientProperties());
        properties.put("eureka.instance.lease-renewal-interval-in-seconds", "2");
        properties.put("eureka.instance.lease-expiration-duration-in-seconds", "10");
        return properties;
    }

    /** A relay delivering {@code events} (patterns) to the ml-monitor named {@code mlService}, and nothing to the default one. */
    public static RunningApp relayFor(Map<String, String> base, String mlService, String events) {
        Map<String, String> properties = new HashMap<>(base);
        properties.put("ghost.relay.subscribers.ml-monitor", "");
        properties.put("ghost.relay.subscribers." + mlService, events);
        properties.put("ghost.relay.events.poll-interval", "100ms");
        return TestApps.start(RelayApplication.class, properties);
    }

    /** An ml-monitor named {@code name} whose alerting keeps to {@code namespace} and posts to a Slack webhook. */
    public static Map<String, String> mlMonitor(Map<String, String> base, String name, String namespace, String slackWebhookUrl) {
        Map<String, String> properties = new HashMap<>(base);
        properties.put("spring.application.name", name);
        properties.put("ghost.alerting.namespace", namespace);
        properties.put("ghost.alerting.slack.webhook-url", slackWebhookUrl);
        return properties;
    }

    public static RunningApp startMlMonitor(Map<String, String> properties) {
        return TestApps.start(MlMonitorApplication.class, properties);
    }

    /** Closes each in the order given, going on past failures (a stack is stopped whatever happened). */
    public static void closeAll(Iterable<? extends AutoCloseable> parts) {
        for (AutoCloseable part : parts) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                // stopping everything anyway
            }
        }
    }
}
