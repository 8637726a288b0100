package dev.ghost.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** A service names itself by its Eureka instance id, else by its name (as the {@code @Value}s it replaces did). */
class GhostInstanceTest {

    @Test
    void theEurekaInstanceIdWhenThereIsOne() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.application.name", "relay-service")
                .withProperty("eureka.instance.hostname", "host-1")
                .withProperty("server.port", "5060")
                .withProperty("eureka.instance.instance-id", "${eureka.instance.hostname}:${spring.application.name}:${server.port}");
        assertThat(GhostInstance.of(environment)).isEqualTo(new GhostInstance("relay-service", "host-1:relay-service:5060"));
    }

    @Test
    void theServiceNameWithoutOne() {
        assertThat(GhostInstance.of(new MockEnvironment().withProperty("spring.application.name", "health-aggregator")))
                .isEqualTo(new GhostInstance("health-aggregator", "health-aggregator"));
        assertThat(GhostInstance.of(new MockEnvironment())).isEqualTo(new GhostInstance("app", "app"));
    }
}
