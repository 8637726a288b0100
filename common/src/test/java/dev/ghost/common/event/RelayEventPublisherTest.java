package dev.ghost.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.test.BoundProperties;
import dev.ghost.common.test.TestApps;

/**
 * The publisher's promises without a relay in sight: it never blocks or throws, drops (and counts)
 * only what overflows its buffer, and keeps retrying a batch, in order, until something takes it.
 * The receiving end is a plain JDK HTTP server that fails at first, as a restarting relay would.
 */
class RelayEventPublisherTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void dropsAndCountsOnlyWhatOverflowsTheBufferAndNeverBlocks() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        GhostEventsProperties properties = BoundProperties.bind(GhostEventsProperties.class, Map.of("buffer-capacity", 10));
        RelayEventPublisher publisher = new RelayEventPublisher(
                RestClient.create("http://127.0.0.1:" + TestApps.freePort()), "token", JSON, properties, meters);
        long start = System.nanoTime();
        for (int i = 0; i < 25; i++) {
            publisher.publish(GhostEvent.of("test.overflow", "here", Map.of("i", i)));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(publisher.buffered()).isEqualTo(10);
        assertThat(meters.counter("ghost.events.dropped").count()).isEqualTo(15);
    }

    @Test
    void retriesUntilTheRelayTakesTheEventsAndKeepsTheirOrder() throws IOException {
        AtomicInteger refusals = new AtomicInteger(3);
        List<String> received = new CopyOnWriteArrayList<>();
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer relay = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        relay.createContext("/events", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            int status = refusals.getAndDecrement() > 0 ? 503 : 202;
            if (status == 202) {
                for (JsonNode event : JSON.readTree(new String(body, StandardCharsets.UTF_8))) {
                    received.add(event.get("data").get("i").asString());
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        relay.start();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        GhostEventsProperties properties = BoundProperties.bind(GhostEventsProperties.class, Map.of("max-backoff", "200ms"));
        RelayEventPublisher publisher = new RelayEventPublisher(
                RestClient.create("http://127.0.0.1:" + relay.getAddress().getPort()), "service-token-x", JSON, properties, meters);
        try {
            for (int i = 0; i < 50; i++) {
                publisher.publish(GhostEvent.of("test.retry", "here", Map.of("i", String.valueOf(i))));
            }
            publisher.start();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 50);
            assertThat(received).containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(String::valueOf).toList());
            assertThat(authorizations).hasSizeGreaterThanOrEqualTo(4).allMatch("Bearer service-token-x"::equals);
            assertThat(meters.counter("ghost.events.send.failures").count()).isGreaterThanOrEqualTo(1);
            assertThat(meters.counter("ghost.events.sent").count()).isEqualTo(50);
            assertThat(meters.counter("ghost.events.dropped").count()).isZero();
        } finally {
            publisher.stop();
            relay.stop(0);
        }
    }

}
