package dev.ghost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.registry.TestRegistry;
import dev.ghost.relaytest.subscriber.TestSubscriberApplication;
import dev.ghost.runner.RunnerApplication;

/**
 * One real stack for every relay test in this JVM, started on first use: the registry, runners
 * (two always up, a third the tests start and stop), the relay, and two subscriber services. Names
 * of subscribers are unique per run, so a long-lived shared Redis never mixes runs.
 */
public final class RelayStack {

    public static final int TARGETS = 30;
    public static final String WEBHOOK_SECRET = "webhook-secret-ci-0123456789";
    public static final String WEBHOOK_SECRET_NEXT = "webhook-secret-next-0123456789";

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /** Subscribes to test.*, relay.* and patch.*: the well-behaved subscriber. */
    public static final String STEADY = "steady-" + RUN;
    /** Subscribes to fail.*: the one tests make refuse everything. */
    public static final String FLAKY = "flaky-" + RUN;

    /**
     * Eureka timings for a loaded 2-core test machine: TestApps' 1 s heartbeats with a 3 s lease make
     * the registry evict live services whenever a heartbeat runs late. Leaving rotation does not rest
     * on Eureka anyway (the relay health-checks runners itself).
     */
    private static final Map<String, String> EUREKA_TIMINGS = Map.of(
            "eureka.instance.lease-renewal-interval-in-seconds", "2",
            "eureka.instance.lease-expiration-duration-in-seconds", "10");

    private static TestRegistry registry;
    private static Path home;
    private static RunningApp relay;
    private static final List<RunningApp> runners = new ArrayList<>();
    private static RunningApp spare;
    private static RunningApp steady;
    private static RunningApp flaky;

    private RelayStack() {
    }

    public static synchronized void start() {
        if (registry != null) {
            return;
        }
        try {
            home = Files.createTempDirectory("ghost-relay-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry = TestRegistry.start();
        runners.add(startRunner("r1"));
        runners.add(startRunner("r2"));
        relay = startRelay();
        steady = startSubscriber(STEADY);
        flaky = startSubscriber(FLAKY);
        awaitRotation(2);
        Runtime.getRuntime().addShutdownHook(new Thread(RelayStack::stopAll));
    }

    private static void stopAll() {
        for (RunningApp app : new RunningApp[] {relay, steady, flaky, spare}) {
            closeQuietly(app);
        }
        runners.forEach(RelayStack::closeQuietly);
        closeQuietly(registry);
    }

    private static void closeQuietly(AutoCloseable app) {
        try {
            if (app != null) {
                app.close();
            }
        } catch (Exception e) {
            // shutting down anyway
        }
    }

    public static RunningApp relay() {
        return relay;
    }

    public static TestRegistry registry() {
        return registry;
    }

    public static List<RunningApp> runners() {
        return runners;
    }

    public static RunningApp steady() {
        return steady;
    }

    public static RunningApp flaky() {
        return flaky;
    }

    public static Path workspace(String target) {
        return home.resolve("workspaces").resolve(target);
    }

    /** A runner sharing the workspaces, with its own state directory. */
    public static RunningApp startRunner(String name) {
        Map<String, String> properties = eurekaClient();
        for (int i = 0; i < TARGETS; i++) {
            String target = target(i);
            properties.put("ghost.runner.workspaces." + target, workspace(target).toString());
        }
        properties.put("ghost.runner.workspaces.default", workspace("default").toString());
        properties.put("ghost.runner.state-dir", home.resolve("state-" + name + "-" + UUID.randomUUID()).toString());
        properties.put("ghost.runner.max-concurrent", "2");
        properties.put("ghost.runner.lease", "2s");
        properties.put("ghost.runner.sweep-interval", "500ms");
        properties.put("ghost.runner.kill-grace", "1s");
        return TestApps.start(RunnerApplication.class, properties);
    }

    private static Map<String, String> eurekaClient() {
        Map<String, String> properties = new LinkedHashMap<>(registry.clientProperties());
        properties.putAll(EUREKA_TIMINGS);
        return properties;
    }

    public static String target(int i) {
        return String.format("t%02d", i);
    }

    /** A third runner, for the tests that need three (and then crash it). */
    public static synchronized RunningApp startSpare() {
        if (spare == null) {
            spare = startRunner("spare");
        }
        return spare;
    }

    public static synchronized void stopRelay() {
        relay.close();
    }

    public static synchronized RunningApp startRelayAgain() {
        relay = startRelay();
        return relay;
    }

    public static RunningApp startRelay() {
        Map<String, String> properties = eurekaClient();
        properties.put("ghost.relay.subscribers.ml-monitor", "");
        properties.put("ghost.relay.subscribers." + STEADY, "test.*,relay.*,patch.*");
        properties.put("ghost.relay.subscribers." + FLAKY, "fail.*");
        properties.put("ghost.relay.events.max-attempts", "3");
        properties.put("ghost.relay.events.first-backoff", "100ms");
        properties.put("ghost.relay.events.max-backoff", "1s");
        properties.put("ghost.relay.events.poll-interval", "100ms");
        properties.put("ghost.relay.events.lease", "3s");
        properties.put("ghost.relay.webhooks.secrets[0].name", "ci");
        properties.put("ghost.relay.webhooks.secrets[0].secret", WEBHOOK_SECRET);
        properties.put("ghost.relay.webhooks.secrets[1].name", "ci-next");
        properties.put("ghost.relay.webhooks.secrets[1].secret", WEBHOOK_SECRET_NEXT);
        properties.put("spring.cloud.loadbalancer.cache.ttl", "500ms");
        return TestApps.start(RelayApplication.class, properties);
    }

    public static RunningApp startSubscriber(String name) {
        Map<String, String> properties = eurekaClient();
        properties.put("spring.application.name", name);
        properties.put("spring.config.name", "test-subscriber");
        return TestApps.start(TestSubscriberApplication.class, properties);
    }

    public static synchronized RunningApp restartSteady() {
        steady = startSubscriber(STEADY);
        return steady;
    }

    /** The runners the relay would send work to now, by instance id. */
    public static List<String> rotation() {
        HttpResponse<String> response = TestHttp.get(relay.url("/relay/runners"), TestTokens.READ);
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode runner : TestHttp.json(response)) {
            if (runner.get("inRotation").booleanValue()) {
                ids.add(runner.get("instanceId").stringValue());
            }
        }
        return ids;
    }

    /** The failover test stops the second runner for good; the spare runner is crashed by another test. */
    public static void awaitRotation(int size) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> rotation().size() == size);
    }

    public static String instanceId(RunningApp runner) {
        return "localhost:runner-service:" + runner.port();
    }
}
