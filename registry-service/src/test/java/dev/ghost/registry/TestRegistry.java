package dev.ghost.registry;

import java.util.Map;

import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;

/**
 * The real registry-service, started in the test JVM on a free port with fast eviction, for
 * tests in which services find each other through Eureka.
 */
public final class TestRegistry implements AutoCloseable {

    public static final String USER = "ghost";
    public static final String PASSWORD = "test-eureka-password-0123456789";

    private final RunningApp app;

    private TestRegistry(RunningApp app) {
        this.app = app;
    }

    public static TestRegistry start() {
        return new TestRegistry(TestApps.start(RegistryApplication.class, Map.of(
                "eureka.client.enabled", "true",
                "ghost.registry.user", USER,
                "ghost.registry.password", PASSWORD,
                "eureka.server.eviction-interval-timer-in-ms", "500",
                "eureka.server.response-cache-update-interval-ms", "500")));
    }

    /** What a client puts in {@code eureka.client.service-url.defaultZone}. */
    public String serviceUrl() {
        return "http://" + USER + ":" + PASSWORD + "@localhost:" + app.port() + "/eureka/";
    }

    /** Properties that register a {@code TestApps} service with this registry. */
    public Map<String, String> clientProperties() {
        return Map.of("eureka.client.service-url.defaultZone", serviceUrl());
    }

    public String url(String path) {
        return app.url(path);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.close();
    }
}
