package dev.ghost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.registry.TestRegistry;
import dev.ghost.runner.RunnerApplication;

/** Two different services in one JVM register with the real, password-protected registry and find each other. */
@ExtendWith(RealRedisExtension.class)
class DiscoveryTest {

    static TestRegistry registry;
    static RunningApp runner;
    static RunningApp relay;

    @BeforeAll
    static void start() {
        registry = TestRegistry.start();
        runner = TestApps.start(RunnerApplication.class, registry.clientProperties());
        relay = TestApps.start(RelayApplication.class, registry.clientProperties());
    }

    @AfterAll
    static void stop() {
        relay.close();
        runner.close();
        registry.close();
    }

    @Test
    void servicesSeeEachOtherThroughEureka() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(relay.bean(DiscoveryClient.class).getInstances("runner-service"))
                    .extracting(ServiceInstance::getPort).containsExactly(runner.port());
            assertThat(runner.bean(DiscoveryClient.class).getInstances("relay-service"))
                    .extracting(ServiceInstance::getPort).containsExactly(relay.port());
        });
    }

    @Test
    void healthReportsRedisAndEureka() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode health = TestHttp.json(TestHttp.get(relay.url("/actuator/health"), null));
            assertThat(health.at("/status").stringValue()).isEqualTo("UP");
            assertThat(health.at("/components/redis/status").stringValue()).isEqualTo("UP");
            assertThat(health.at("/components/discoveryComposite/components/eureka/status").stringValue()).isEqualTo("UP");
        });
    }
}
