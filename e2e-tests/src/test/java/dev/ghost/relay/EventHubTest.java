package dev.ghost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.relaytest.subscriber.TestSubscriberApplication.Inbox;

/**
 * The events hub with real subscriber services found through Eureka: outages ridden out in order,
 * refusals parked as dead letters and redelivered, a relay restart with events still pending, and
 * runners' own events arriving through the relay.
 */
@ExtendWith(RealRedisExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventHubTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void stack() {
        RelayStack.start();
    }

    @Test
    @Order(1)
    void eventsAreValidatedAsAWholeAndNeedTheServiceRole() {
        String bad = """
                [{"id":"a","type":"test.ok","source":"s","time":"2026-01-01T00:00:00Z"},
                 {"id":"","type":"Not A Type","source":"s","time":"yesterday","data":[1]},
                 7]
                """;
        HttpResponse<String> refused = TestHttp.post(relay("/events"), TestTokens.SERVICE, bad);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        List<String> pointers = new ArrayList<>();
        TestHttp.json(refused).get("violations").forEach(v -> pointers.add(v.get("pointer").stringValue()));
        assertThat(pointers).containsExactlyInAnyOrder("/1/id", "/1/type", "/1/time", "/1/data", "/2");
        assertThat(TestHttp.post(relay("/events"), TestTokens.SERVICE, "{not json").statusCode()).isEqualTo(400);
        assertThat(TestHttp.post(relay("/events"), TestTokens.SERVICE, "[]").statusCode()).isEqualTo(400);
        assertThat(TestHttp.post(relay("/events"), TestTokens.SUBMIT, event("test.x", "nope", 0)).statusCode()).isEqualTo(403);
        assertThat(TestHttp.get(relay("/events/dead-letters"), TestTokens.READ).statusCode()).isEqualTo(403);
        assertThat(RelayStack.steady().bean(Inbox.class).events).noneMatch(e -> "a".equals(e.get("id")));
    }

    @Test
    @Order(2)
    void aSubscriberDownForAWhileGetsEveryEventAfterwardsInOrder() {
        RunningApp steady = RelayStack.steady();
        steady.close();
        String batch = "outage-" + RUN;
        List<String> sent = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int sequence = round * 10 + i;
                String id = batch + "-" + sequence;
                sent.add(id);
                events.add(event("test.outage", id, sequence));
            }
            assertThat(TestHttp.post(relay("/events"), TestTokens.SERVICE, "[" + String.join(",", events) + "]").statusCode())
                    .isEqualTo(202);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> stats(RelayStack.STEADY).get("pending").longValue() >= 30);

        Inbox inbox = RelayStack.restartSteady().bean(Inbox.class);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> distinctIds(inbox, batch).size() == 30);
        assertThat(distinctIds(inbox, batch)).containsExactlyElementsOf(sent);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode stats = stats(RelayStack.STEADY);
            assertThat(stats.get("retrying").longValue()).isZero();
            assertThat(stats.get("delivered").longValue()).isGreaterThanOrEqualTo(30);
        });
    }

    @Test
    @Order(3)
    void aSubscriberThatAlwaysFailsEndsInTheDeadLetterStreamAndCanBeRedelivered() {
        Inbox flaky = RelayStack.flaky().bean(Inbox.class);
        Inbox steady = RelayStack.steady().bean(Inbox.class);
        flaky.failing.set(true);
        String id = "poison-" + RUN;
        assertThat(TestHttp.post(relay("/events"), TestTokens.SERVICE, event("fail.always", id, 0)).statusCode()).isEqualTo(202);

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> deadLetter(id) != null);
        JsonNode letter = deadLetter(id);
        assertThat(letter.get("attempts").intValue()).isEqualTo(3);
        assertThat(letter.get("error").stringValue()).contains("500");
        assertThat(flaky.events).noneMatch(event -> id.equals(event.get("id")));
        JsonNode stats = stats(RelayStack.FLAKY);
        assertThat(stats.get("deadLettered").longValue()).isGreaterThanOrEqualTo(1);
        assertThat(stats.get("pending").longValue()).isZero();
        // on-call hears of it through the hub (never the subscriber concerned)
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> steady.ofType("relay.dead_letter").stream()
                .anyMatch(event -> id.equals(((Map<?, ?>) event.get("data")).get("eventId"))));

        flaky.failing.set(false);
        HttpResponse<String> redelivered = TestHttp.post(relay(letter.get("redeliver").stringValue()), TestTokens.ADMIN, "");
        assertThat(redelivered.statusCode()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> flaky.events.stream().anyMatch(event -> id.equals(event.get("id"))));
        assertThat(deadLetter(id)).isNull();
        assertThat(TestHttp.post(relay(letter.get("redeliver").stringValue()), TestTokens.ADMIN, "").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void runnersEventsReachSubscribersThroughTheRelay() {
        Inbox steady = RelayStack.steady().bean(Inbox.class);
        String id = "evented-" + RUN;
        assertThat(PatchProxyTest.submit(PatchProxyTest.patch(id, "t06", "true"), TestTokens.SUBMIT).statusCode()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> steady.ofType("patch.").stream()
                .filter(event -> id.equals(((Map<?, ?>) event.get("data")).get("patchId")))
                .map(event -> event.get("type")).toList().containsAll(List.of("patch.queued", "patch.started", "patch.succeeded")));
    }

    @Test
    @Order(5)
    void eventsPendingWhenTheRelayStopsAreDeliveredByTheNextOneAndPublishersLoseNothing() {
        Inbox inbox = RelayStack.steady().bean(Inbox.class);
        inbox.unavailable.set(true); // answers 503: the relay keeps the batch and retries
        String batch = "restart-" + RUN;
        List<String> sent = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(batch + "-" + i);
            events.add(event("test.restart", batch + "-" + i, i));
        }
        assertThat(TestHttp.post(relay("/events"), TestTokens.SERVICE, "[" + String.join(",", events) + "]").statusCode()).isEqualTo(202);
        // let the relay read them (they are now its consumer's pending entries) and fail at least once
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> stats(RelayStack.STEADY).get("retrying").longValue() > 0);

        RelayStack.stopRelay();
        // meanwhile a runner emits events: its publisher holds them and retries until a relay takes them
        String patch = "while-relay-down-" + RUN;
        RunningApp runner = RelayStack.runners().get(0);
        assertThat(TestHttp.post(runner.url("/patches"), TestTokens.SUBMIT, PatchProxyTest.patch(patch, "t07", "true")).statusCode())
                .isEqualTo(202);
        RelayStack.startRelayAgain();
        inbox.unavailable.set(false);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> distinctIds(inbox, batch).size() == 20);
        assertThat(distinctIds(inbox, batch)).containsExactlyElementsOf(sent);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inbox.ofType("patch.").stream()
                .anyMatch(event -> "patch.succeeded".equals(event.get("type"))
                        && patch.equals(((Map<?, ?>) event.get("data")).get("patchId"))));
    }

    private static String relay(String path) {
        return RelayStack.relay().url(path);
    }

    private static JsonNode stats(String subscriber) {
        HttpResponse<String> response = TestHttp.get(relay("/events/stats"), TestTokens.READ);
        assertThat(response.statusCode()).isEqualTo(200);
        for (JsonNode stats : TestHttp.json(response)) {
            if (subscriber.equals(stats.get("subscriber").stringValue())) {
                return stats;
            }
        }
        throw new AssertionError("no stats for " + subscriber + ": " + response.body());
    }

    private static JsonNode deadLetter(String eventId) {
        HttpResponse<String> response = TestHttp.get(relay("/events/dead-letters?subscriber=" + RelayStack.FLAKY), TestTokens.ADMIN);
        assertThat(response.statusCode()).isEqualTo(200);
        for (JsonNode letter : TestHttp.json(response)) {
            if (eventId.equals(letter.at("/event/id").stringValue())) {
                return letter;
            }
        }
        return null;
    }

    /** Ids of a batch in the order they first arrived: the subscriber's view after dropping duplicates. */
    private static List<String> distinctIds(Inbox inbox, String batch) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        inbox.events.forEach(event -> {
            String id = String.valueOf(event.get("id"));
            if (id.startsWith(batch + "-")) {
                ids.add(id);
            }
        });
        return List.copyOf(ids);
    }

    private static String event(String type, String id, int sequence) {
        return """
                {"id":"%s","type":"%s","source":"event-hub-test","time":"2026-01-01T00:00:00Z","data":{"sequence":%d}}
                """.formatted(id, type, sequence).strip();
    }
}
