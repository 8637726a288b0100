package dev.ghost.common.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts real GHOST services inside the test JVM, each on its own free port, with a real Redis
 * and the {@link TestTokens}; for tests where services talk to each other over HTTP.
 */
public final class TestApps {

    private TestApps() {
    }

    /**
     * Starts {@code application} with the test defaults overridden by {@code properties}. Pass
     * {@code eureka.client.service-url.defaultZone} (see {@code TestRegistry}) to register it;
     * without one, discovery is off.
     */
    public static RunningApp start(Class<?> application, Map<String, String> properties) {
        int port = properties.containsKey("server.port") ? Integer.parseInt(properties.get("server.port")) : freePort();
        Map<String, String> all = new LinkedHashMap<>(TestTokens.properties());
        all.put("server.port", String.valueOf(port));
        all.put("spring.data.redis.url", RealRedisExtension.url());
        all.put("eureka.client.enabled", String.valueOf(properties.containsKey("eureka.client.service-url.defaultZone")));
        all.put("eureka.client.registry-fetch-interval-seconds", "1");
        all.put("eureka.client.initial-instance-info-replication-interval-seconds", "1");
        all.put("eureka.client.instance-info-replication-interval-seconds", "1");
        all.put("eureka.instance.lease-renewal-interval-in-seconds", "1");
        all.put("eureka.instance.lease-expiration-duration-in-seconds", "3");
        all.put("spring.main.banner-mode", "off");
        // One member per service unless a test runs a pair: test classes (and runs sharing one Redis) must not
        // elect each other's services as leaders, nor read each other's health ledger.
        all.put("ghost.leader.enabled", "false");
        all.put("ghost.health.namespace", "test-" + UUID.randomUUID());
        all.putAll(properties);
        List<String> args = new ArrayList<>();
        all.forEach((key, value) -> args.add("--" + key + "=" + value));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application).run(args.toArray(String[]::new));
        return new RunningApp(context, port);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A started service; close it to stop it. */
    public record RunningApp(ConfigurableApplicationContext context, int port) implements AutoCloseable {

        public String url(String path) {
            return "http://localhost:" + port + path;
        }

        public <T> T bean(Class<T> type) {
            return context.getBean(type);
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
