package dev.ghost.common.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import redis.embedded.RedisServer;

/**
 * Gives tests a real Redis, never a mock, and points Spring at it ({@code spring.data.redis.url}).
 * In order of preference: {@code GHOST_TEST_REDIS_URL}; a {@code redis:7} container when a Docker
 * engine answers; an embedded Redis server on a free port. One server per test JVM, shared by
 * every test class (tests use unique ids, so they never need a flush).
 */
public class RealRedisExtension implements BeforeAllCallback {

    private static final Logger log = LoggerFactory.getLogger(RealRedisExtension.class);
    private static final String REDIS_IMAGE = "redis:7";
    private static final String RYUK_IMAGE = "testcontainers/ryuk:0.14.0";
    private static String url;

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty("spring.data.redis.url", url());
    }

    /** The URL of this JVM's test Redis, starting one on first use. */
    public static synchronized String url() {
        if (url == null) {
            url = locate();
            log.info("Tests use Redis at {}", url);
        }
        return url;
    }

    private static String locate() {
        String configured = System.getenv("GHOST_TEST_REDIS_URL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (dockerAvailable()) {
            try {
                GenericContainer<?> redis = new GenericContainer<>(REDIS_IMAGE).withExposedPorts(6379);
                redis.start();
                Runtime.getRuntime().addShutdownHook(new Thread(redis::stop));
                return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
            } catch (RuntimeException e) {
                log.warn("Docker answers but the Redis container did not start ({}); using an embedded Redis", e.getMessage());
            }
        }
        EmbeddedRedis embedded = EmbeddedRedis.start();
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::stop));
        return embedded.url();
    }

    /**
     * An engine that answers and already has the images: with no image registry reachable (as on machines
     * with a Docker engine but no network), Testcontainers would retry its pulls for minutes.
     */
    private static boolean dockerAvailable() {
        try {
            DockerClientFactory docker = DockerClientFactory.instance();
            return docker.isDockerAvailable() && hasImage(docker, REDIS_IMAGE) && hasImage(docker, RYUK_IMAGE);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean hasImage(DockerClientFactory docker, String image) {
        try {
            docker.client().inspectImageCmd(image).exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * A Redis server of a test's own, for tests that stop and restart Redis (outage handling)
     * without disturbing the shared one. Restarts on the same port.
     */
    public static final class EmbeddedRedis {
        private final int port;
        private RedisServer server;

        private EmbeddedRedis(int port) {
            this.port = port;
        }

        public static EmbeddedRedis start() {
            EmbeddedRedis redis = new EmbeddedRedis(freePort());
            redis.restart();
            return redis;
        }

        public synchronized void restart() {
            try {
                server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                        .setting("save \"\"").setting("appendonly no").build();
                server.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded Redis on port " + port, e);
            }
        }

        public synchronized void stop() {
            try {
                if (server != null) {
                    server.stop();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String url() {
            return "redis://127.0.0.1:" + port;
        }

        public int port() {
            return port;
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
