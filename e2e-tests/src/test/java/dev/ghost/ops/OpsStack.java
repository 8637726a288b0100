package dev.ghost.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.ghost.alerting.test.SlackStandIn;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.e2e.support.GhostServices;
import dev.ghost.health.HealthAggregatorApplication;
import dev.ghost.registry.TestRegistry;
import dev.ghost.runner.RunnerApplication;
import dev.ghost.sample.SampleServiceApplication;

/**
 * The stack the operating-surface tests share, started once per test JVM: the real registry, a
 * runner, the relay delivering events to ml-monitor, ml-monitor's alerting posting to a Slack
 * stand-in, the health-aggregator polling every second, and three GHOST-style services that use
 * a Redis of their own ({@link #shopRedis}), which a test may stop: a shared dependency going down.
 * Names carry the run's id, so a long-lived test Redis never mixes runs.
 */
public final class OpsStack {

    public static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    public static final String ML = "ml-monitor-" + RUN;
    /** The services on {@link #shopRedis}. */
    public static final List<String> SHOPS = List.of("cart-" + RUN, "stock-" + RUN, "search-" + RUN);

    private static OpsStack stack;

    public final SlackStandIn slack = new SlackStandIn();
    public final TestRegistry registry;
    public final RealRedisExtension.EmbeddedRedis shopRedis;
    public final RunningApp runner;
    public final RunningApp relay;
    public final RunningApp ml;
    public final RunningApp health;
    public final List<RunningApp> shops = new ArrayList<>();
    public final Path home;

    private OpsStack() throws IOException {
        RealRedisExtension.url();
        home = Files.createTempDirectory("ghost-ops");
        registry = TestRegistry.start();
        shopRedis = RealRedisExtension.EmbeddedRedis.start();

        Map<String, String> runnerProperties = discovery();
        runnerProperties.put("ghost.runner.workspaces.ops-" + RUN, home.resolve("workspace").toString());
        runnerProperties.put("ghost.runner.state-dir", home.resolve("runner-state").toString());
        runner = TestApps.start(RunnerApplication.class, runnerProperties);

        relay = GhostServices.relayFor(discovery(), ML, "patch.*,health.*");

        Map<String, String> mlProperties = GhostServices.mlMonitor(discovery(), ML, "ops-" + RUN, slack.webhookUrl());
        mlProperties.put("ghost.alerting.receivers.oncall.slack.webhook-url", slack.oncallWebhookUrl());
        ml = GhostServices.startMlMonitor(mlProperties);

        for (String name : SHOPS) {
            Map<String, String> properties = discovery();
            properties.put("spring.application.name", name);
            properties.put("spring.data.redis.url", shopRedis.url());
            properties.put("ghost.logging.ship.enabled", "false");
            shops.add(TestApps.start(SampleServiceApplication.class, properties));
        }

        Map<String, String> healthProperties = discovery();
        healthProperties.put("ghost.health.interval", "1s");
        healthProperties.put("ghost.health.confirm-within", "900ms");
        healthProperties.put("ghost.health.ml-service", ML);
        List<String> credentialed = new ArrayList<>(List.of("runner-service", "relay-service", "health-aggregator", ML));
        credentialed.addAll(SHOPS);
        healthProperties.put("ghost.health.credentialed-services", String.join(",", credentialed));
        health = TestApps.start(HealthAggregatorApplication.class, healthProperties);
    }

    public static synchronized OpsStack get() {
        if (stack == null) {
            try {
                stack = new OpsStack();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
        }
        return stack;
    }

    private Map<String, String> discovery() {
        return GhostServices.discovery(registry);
    }

    /** A service's status as the health-aggregator reports it ("unknown" before it has one). */
    public String serviceStatus(String service) {
        HttpResponse<String> response = TestHttp.get(health.url("/health/services/" + service), TestTokens.READ);
        return response.statusCode() == 200 ? TestHttp.json(response).get("status").stringValue() : "unknown";
    }

    /** Every running GHOST service of the stack (the registry aside: it has its own security). */
    public Map<String, RunningApp> services() {
        return Map.of("runner-service", runner, "relay-service", relay, ML, ml, "health-aggregator", health);
    }

    private void close() {
        List<AutoCloseable> parts = new ArrayList<>(List.of(health));
        parts.addAll(shops);
        parts.addAll(List.of(ml, relay, runner, registry, slack));
        GhostServices.closeAll(parts);
        shopRedis.stop();
    }
}
