package dev.ghost.health.fake;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.ghost.health.probe.Target;

/**
 * A stand-in for any instance a registry may list: a real HTTP server on its own port that
 * answers {@code /actuator/health} and {@code /actuator/prometheus} as a Spring Boot service does,
 * and can be told to answer DOWN, hang, fail its next N probes, flap, or die (close its port).
 */
public final class FakeInstance implements AutoCloseable {

    public enum Mode { UP, DOWN, HANG, FLAP }

    private final String service;
    private final int port;
    private final ExecutorService executor;
    private final String metrics;
    private volatile HttpServer server;
    private volatile Mode mode = Mode.UP;
    private volatile long delayMillis;
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger flapCounter = new AtomicInteger();
    private final AtomicLong healthCalls = new AtomicLong();
    private final CountDownLatch released = new CountDownLatch(1);

    private FakeInstance(String service, ExecutorService executor, String metrics) {
        this.service = service;
        this.executor = executor;
        this.metrics = metrics;
        this.server = bind(0);
        this.port = server.getAddress().getPort();
    }

    /** Starts on a free port; {@code executor} serves requests (share one across many fakes). */
    public static FakeInstance start(String service, ExecutorService executor, String metrics) {
        return new FakeInstance(service, executor, metrics);
    }

    private HttpServer bind(int onPort) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 100);
            http.createContext("/actuator/health", this::health);
            http.createContext("/actuator/prometheus", this::prometheus);
            http.setExecutor(executor);
            http.start();
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Target target() {
        return target(service + "-" + port);
    }

    public Target target(String id) {
        return new Target(id, service, "127.0.0.1", port,
                URI.create("http://127.0.0.1:" + port + "/actuator/health"),
                URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"), "Bearer fake-service-token", "UP");
    }

    public int port() {
        return port;
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    /** Every answer takes this long, as a real instance behind a network does. */
    public void delay(long millis) {
        this.delayMillis = millis;
    }

    /** The next {@code count} health calls fail with 503, then it answers as its mode says. */
    public void failNext(int count) {
        failNext.set(count);
    }

    public long healthCalls() {
        return healthCalls.get();
    }

    /** Dies as a killed process does: its port closes, connections drop, new ones are refused. */
    public void kill() {
        HttpServer http = server;
        server = null;
        if (http != null) {
            http.stop(0);
        }
    }

    /** Comes back on the same port. */
    public void revive() {
        if (server == null) {
            server = bind(port);
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        healthCalls.incrementAndGet();
        Mode now = mode;
        if (now == Mode.HANG) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        boolean up = switch (now) {
            case DOWN -> false;
            case FLAP -> flapCounter.getAndIncrement() % 2 == 0;
            default -> true;
        };
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            up = false;
        }
        String body = up
                ? "{\"status\":\"UP\",\"components\":{\"diskSpace\":{\"status\":\"UP\"},\"ping\":{\"status\":\"UP\"}}}"
                : "{\"status\":\"DOWN\",\"components\":{\"diskSpace\":{\"status\":\"UP\"},\"redis\":{\"status\":\"DOWN\"}}}";
        send(exchange, up ? 200 : 503, "application/vnd.spring-boot.actuator.v3+json", body);
    }

    private void prometheus(HttpExchange exchange) throws IOException {
        if (metrics == null) {
            send(exchange, 404, "text/plain", "");
            return;
        }
        send(exchange, 200, "text/plain;version=0.0.4;charset=utf-8", metrics);
    }

    private void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        released.countDown();
        kill();
    }
}
