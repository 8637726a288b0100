package dev.ghost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;

/** Different services in one JVM register with the real, password-protected registry and find each other. */
@ExtendWith(RealRedisExtension.class)
class DiscoveryTest {

    @BeforeAll
    static void stack() {
        RelayStack.start();
    }

    @Test
    void servicesSeeEachOtherThroughEureka() {
        RunningApp runner = RelayStack.runners().get(0);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(RelayStack.relay().bean(DiscoveryClient.class).getInstances("runner-service"))
                    .extracting(ServiceInstance::getPort).contains(runner.port());
            assertThat(runner.bean(DiscoveryClient.class).getInstances("relay-service"))
                    .extracting(ServiceInstance::getPort).contains(RelayStack.relay().port());
        });
    }

    @Test
    void healthReportsRedisAndEureka() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode health = TestHttp.json(TestHttp.get(RelayStack.relay().url("/actuator/health"), null));
            assertThat(health.at("/status").stringValue()).isEqualTo("UP");
            assertThat(health.at("/components/redis/status").stringValue()).isEqualTo("UP");
            assertThat(health.at("/components/discoveryComposite/components/eureka/status").stringValue()).isEqualTo("UP");
        });
    }
}
