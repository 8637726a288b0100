package dev.ghost.health.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.redis.RedisKeys;
import dev.ghost.health.HealthKeys;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.health.stack.HealthStack;

/** The REST API against the real stack: instances found through Eureka, figures, history, caching, hints, security. */
@ExtendWith(RealRedisExtension.class)
class HealthApiTest {

    static HealthStack stack;

    @BeforeAll
    static void start() {
        stack = HealthStack.get();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode orders = service(HealthStack.ORDERS);
            assertThat(orders.get("status").stringValue()).isEqualTo("UP");
            assertThat(orders.get("up").intValue()).isEqualTo(2);
            // The foreign instance registers by hand, on its own schedule: the hint test needs it known.
            assertThat(service(HealthStack.LEGACY).get("status").stringValue()).isEqualTo("UP");
        });
    }

    static JsonNode service(String name) {
        HttpResponse<String> response = TestHttp.get(stack.aggregator.url("/health/services/" + name), TestTokens.READ);
        assertThat(response.statusCode()).isEqualTo(200);
        return TestHttp.json(response);
    }

    @Test
    void summaryListsEveryRegisteredServiceWithFiguresWhereTheInstanceExportsThem() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode summary = TestHttp.json(TestHttp.get(stack.aggregator.url("/health/summary"), TestTokens.READ));
            assertThat(summary.at("/services").findValuesAsString("name"))
                    .contains(HealthStack.ORDERS, HealthStack.LEGACY, "health-aggregator", "registry-service");
            // The registry does not register itself; it is watched from the client's service URL, with its basic credentials.
            JsonNode registry = service("registry-service");
            assertThat(registry.get("status").stringValue()).isEqualTo("UP");
            assertThat(registry.at("/instances/0/figures/heapUsed").asDouble()).isPositive();
            JsonNode orders = service(HealthStack.ORDERS).at("/instances/0");
            assertThat(orders.at("/figures/heapUsed").asDouble()).isPositive();
            assertThat(orders.at("/figures/heapMax").asDouble()).isPositive();
            assertThat(orders.at("/figures/diskFree").asDouble()).isPositive();
            assertThat(orders.at("/figures/uptimeSeconds").asDouble()).isPositive();
            assertThat(orders.at("/figures/cpuProcess").isNumber()).as(orders.toString()).isTrue();
            assertThat(orders.at("/figures/requestRate").isNumber()).isTrue();
            assertThat(orders.at("/components/redis").stringValue()).isEqualTo("UP"); // details: the service token was used
            // The foreign instance has a health page and no metrics: status only.
            JsonNode legacy = service(HealthStack.LEGACY);
            assertThat(legacy.get("status").stringValue()).isEqualTo("UP");
            assertThat(legacy.at("/instances/0/figures").isMissingNode()).as(legacy.toString()).isTrue();
        });
    }

    @Test
    void requestRateAndP99ComeFromRealTraffic() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int i = 0; i < 10; i++) {
                TestHttp.get(stack.orders1.url("/whoami"), TestTokens.READ); // traffic in every polling interval
            }
            JsonNode instance = instance(HealthStack.ORDERS, stack.orders1.port());
            assertThat(instance.at("/figures/requestRate").asDouble()).isPositive();
            assertThat(instance.at("/figures/p99Ms").asDouble()).isPositive();
        });
    }

    static JsonNode instance(String service, int port) {
        for (JsonNode instance : service(service).get("instances")) {
            if (instance.get("port").intValue() == port) {
                return instance;
            }
        }
        throw new AssertionError("no instance on port " + port);
    }

    @Test
    void everyCallButTheDashboardFilesNeedsACredential() {
        assertThat(TestHttp.get(stack.aggregator.url("/health/summary"), null).statusCode()).isEqualTo(401);
        assertThat(TestHttp.get(stack.aggregator.url("/health/history?service=x"), null).statusCode()).isEqualTo(401);
        assertThat(TestHttp.get(stack.aggregator.url("/dashboard/patches"), null).statusCode()).isEqualTo(401);
        HttpResponse<String> page = TestHttp.get(stack.aggregator.url("/"), null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("GHOST");
        assertThat(TestHttp.get(stack.aggregator.url("/assets/app.js"), null).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownServiceIsANotFoundProblem() {
        HttpResponse<String> response = TestHttp.get(stack.aggregator.url("/health/services/nope-" + HealthStack.RUN), TestTokens.READ);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestHttp.json(response).get("type").stringValue()).isEqualTo("urn:ghost:problem:service-not-found");
    }

    @Test
    void historyIsKeptAndDownsampled() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode raw = TestHttp.json(TestHttp.get(stack.aggregator.url(
                    "/health/history?service=" + HealthStack.ORDERS + "&since=5m&step=1s"), TestTokens.READ));
            assertThat(raw.get("series")).hasSize(2);
            assertThat(raw.at("/series/0/points").size()).isGreaterThanOrEqualTo(4);
        });
        JsonNode raw = TestHttp.json(TestHttp.get(stack.aggregator.url(
                "/health/history?service=" + HealthStack.ORDERS + "&since=5m&step=1s"), TestTokens.READ));
        JsonNode coarse = TestHttp.json(TestHttp.get(stack.aggregator.url(
                "/health/history?service=" + HealthStack.ORDERS + "&since=5m&step=5m"), TestTokens.READ));
        assertThat(coarse.get("stepMs").longValue()).isEqualTo(300_000);
        JsonNode bucket = coarse.at("/series/0/points");
        assertThat(bucket.size()).isBetween(1, 2); // the range may straddle one bucket boundary
        int polls = 0;
        for (JsonNode point : bucket) {
            polls += point.get("n").intValue();
            assertThat(point.get("s").stringValue()).isEqualTo("UP");
            assertThat(point.at("/f/heapUsed").asDouble()).isPositive();
        }
        assertThat(polls).isGreaterThanOrEqualTo(raw.at("/series/0/points").size());
    }

    @Test
    void badHistoryQueriesListEveryViolation() {
        HttpResponse<String> response = TestHttp.get(stack.aggregator.url("/health/history?since=yesterday&step=0s"),
                TestTokens.READ);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(TestHttp.json(response).get("violations").findValuesAsString("pointer"))
                .containsExactlyInAnyOrder("/service", "/since", "/step");
    }

    @Test
    void answersAreCachedInRedisUnderTheGhostPrefix() {
        StringRedisTemplate redis = stack.aggregator.bean(StringRedisTemplate.class);
        TestHttp.get(stack.aggregator.url("/health/summary"), TestTokens.READ);
        Set<String> keys = redis.keys(RedisKeys.CACHE_PREFIX + HealthKeys.CACHE_SUMMARY + "::*");
        assertThat(keys).isNotEmpty();
        Long ttl = redis.getExpire(keys.iterator().next());
        assertThat(ttl).isBetween(0L, 1L); // never longer than the (test) interval of 1 s
    }

    @Test
    void hintsNeedTheServiceRoleAndAKnownInstance() {
        String body = "{\"instance\":\"127.0.0.1:" + stack.legacy.port() + "\",\"reason\":\"connect refused\"}";
        assertThat(TestHttp.post(stack.aggregator.url("/health/hints"), TestTokens.READ, body).statusCode()).isEqualTo(403);
        HttpResponse<String> accepted = TestHttp.post(stack.aggregator.url("/health/hints"), TestTokens.SERVICE, body);
        assertThat(accepted.statusCode()).isEqualTo(202);
        HttpResponse<String> unknown = TestHttp.post(stack.aggregator.url("/health/hints"), TestTokens.SERVICE,
                "{\"instance\":\"nowhere:1\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        HttpResponse<String> invalid = TestHttp.post(stack.aggregator.url("/health/hints"), TestTokens.SERVICE, "{}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(invalid).at("/violations/0/pointer").stringValue()).isEqualTo("/instance");
    }

    @Test
    void dashboardSaysHonestlyWhenTheRunnerAndMlMonitorAreNotThere() {
        JsonNode patches = TestHttp.json(TestHttp.get(stack.aggregator.url("/dashboard/patches?limit=5"), TestTokens.READ));
        assertThat(patches.get("available").booleanValue()).isFalse();
        assertThat(patches.get("reason").stringValue()).isEqualTo("no instance of runner-service is registered");
        JsonNode alerts = TestHttp.json(TestHttp.get(stack.aggregator.url("/dashboard/alerts"), TestTokens.READ));
        assertThat(alerts.get("available").booleanValue()).isFalse();
        HttpResponse<String> tooMany = TestHttp.get(stack.aggregator.url("/dashboard/patches?limit=1000"), TestTokens.READ);
        assertThat(tooMany.statusCode()).isEqualTo(400);
    }
}
