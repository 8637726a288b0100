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
    /** The registry credential of each of GHOST's services (user: the application name). */
    public static final String CLIENT_PASSWORD_PREFIX = "test-eureka-client-";

    private final RunningApp app;

    private TestRegistry(RunningApp app) {
        this.app = app;
    }

    public static TestRegistry start() {
        return new TestRegistry(TestApps.start(RegistryApplication.class, Map.of(
                "eureka.client.enabled", "true",
                "ghost.registry.user", USER,
                "ghost.registry.password", PASSWORD,
                "ghost.registry.clients.runner-service", clientPassword("runner-service"),
                "ghost.registry.clients.ml-monitor", clientPassword("ml-monitor"),
                "ghost.registry.readers.prometheus", clientPassword("prometheus"),
                "eureka.server.eviction-interval-timer-in-ms", "500",
                "eureka.server.response-cache-update-interval-ms", "500")));
    }

    public static String clientPassword(String application) {
        return CLIENT_PASSWORD_PREFIX + application;
    }

    /** What a client puts in {@code eureka.client.service-url.defaultZone}. */
    public String serviceUrl() {
        return "http://localhost:" + app.port() + "/eureka/";
    }

    /**
     * Properties that register a {@code TestApps} service with this registry, with the administrator's
     * credential (tests start services under names of their own); {@link RegistryAuthTest} checks the
     * per-service ones.
     */
    public Map<String, String> clientProperties() {
        return Map.of("eureka.client.service-url.defaultZone", serviceUrl(),
                "ghost.discovery.user", USER, "ghost.discovery.password", PASSWORD);
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
