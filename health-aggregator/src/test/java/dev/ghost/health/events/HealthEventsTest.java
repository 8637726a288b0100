package dev.ghost.health.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.redis.RedisKeys;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.health.fake.FakeInstance;
import dev.ghost.health.stack.EurekaRegistration;
import dev.ghost.health.stack.HealthStack;

/** Transitions reach the event stream exactly once each; every round's figures go out as metric samples. */
@ExtendWith(RealRedisExtension.class)
class HealthEventsTest {

    @Test
    void anInstanceThatComesAndGoesIsToldOnceEach() {
        HealthStack stack = HealthStack.get();
        StringRedisTemplate redis = stack.aggregator.bean(StringRedisTemplate.class);
        String from = System.currentTimeMillis() + "-0";
        String victim = "victim-" + HealthStack.RUN;
        FakeInstance instance = FakeInstance.start(victim, Executors.newCachedThreadPool(), null);
        EurekaRegistration registration = EurekaRegistration.register(stack.registry, victim, "victim-1-" + HealthStack.RUN,
                instance.port(), "/actuator/health");
        await().atMost(Duration.ofSeconds(30)).until(() -> types(redis, from, victim).contains("health.instance.appeared"));

        registration.close(); // a graceful shutdown: leave the registry, then stop
        instance.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> types(redis, from, victim).containsAll(
                List.of("health.instance.down", "health.instance.disappeared")));
        // The cached API answers were evicted before the event went out: no stale UP, no waiting for a TTL.
        assertThat(TestHttp.json(TestHttp.get(stack.aggregator.url("/health/services/" + victim), TestTokens.READ))
                .get("status").stringValue()).isEqualTo("DOWN");
        // A few more polling rounds must not repeat anything.
        long rounds = stack.aggregator.bean(dev.ghost.health.fleet.Fleet.class).view().lastRound().number();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                stack.aggregator.bean(dev.ghost.health.fleet.Fleet.class).view().lastRound().number() >= rounds + 3);

        assertThat(types(redis, from, victim)).containsExactlyInAnyOrder(
                "health.instance.appeared", "health.instance.disappeared", "health.service.down", "health.instance.down");
        JsonNode down = events(redis, from, victim).stream()
                .filter(e -> e.get("type").stringValue().equals("health.instance.down")).findFirst().orElseThrow();
        assertThat(down.at("/data/status").stringValue()).isEqualTo("DOWN");
        assertThat(down.at("/data/previous").stringValue()).isEqualTo("UP");
        assertThat(down.at("/data/instance").stringValue()).isEqualTo("victim-1-" + HealthStack.RUN);
        assertThat(down.at("/source").stringValue()).contains("health-aggregator");
    }

    @Test
    void everyRoundSendsMetricSamples() {
        HealthStack stack = HealthStack.get();
        StringRedisTemplate redis = stack.aggregator.bean(StringRedisTemplate.class);
        String from = System.currentTimeMillis() + "-0";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<JsonNode> samples = all(redis, from).stream()
                    .filter(e -> e.get("type").stringValue().equals("metric.sample"))
                    .flatMap(e -> stream(e.at("/data/samples")))
                    .filter(s -> s.get("service").stringValue().equals(HealthStack.ORDERS))
                    .toList();
            assertThat(samples).hasSizeGreaterThanOrEqualTo(4);
            assertThat(samples.get(samples.size() - 1).at("/figures/heapUsed").doubleValue()).isPositive();
            assertThat(samples.get(samples.size() - 1).get("up").booleanValue()).isTrue();
        });
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    private static List<String> types(StringRedisTemplate redis, String from, String service) {
        return events(redis, from, service).stream().map(e -> e.get("type").stringValue()).toList();
    }

    private static List<JsonNode> events(StringRedisTemplate redis, String from, String service) {
        return all(redis, from).stream()
                .filter(e -> e.at("/data/service").isString() && service.equals(e.at("/data/service").stringValue()))
                .toList();
    }

    private static List<JsonNode> all(StringRedisTemplate redis, String from) {
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().range(RedisKeys.EVENTS, Range.closed(from, "+"));
        return records == null ? List.of() : records.stream()
                .map(r -> TestHttp.json(String.valueOf(r.getValue().get("event")))).toList();
    }
}
