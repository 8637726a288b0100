package dev.ghost.ml.alerting;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ghost.common.test.RealRedisExtension;

import static dev.ghost.ml.alerting.AlertingStack.down;
import static dev.ghost.ml.alerting.AlertingStack.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(RealRedisExtension.class)
class HealthAlertsTest {

    static AlertingStack stack;

    @BeforeAll
    static void start() {
        stack = AlertingStack.webhook(Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void aDeadInstanceIsOneDownMessageAndItsRecoveryOneResolve() throws Exception {
        String service = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        stack.events(down(service, service + ":5051"));
        SlackStandIn.Received fired = stack.slack.awaitDelivered(service, Duration.ofSeconds(10));
        assertThat(fired).isNotNull();
        assertThat(fired.text()).contains("FIRING").contains(service + ":5051");
        stack.events(up(service, service + ":5051"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stack.slack.delivered(service).size() == 2);
        assertThat(stack.slack.delivered(service).get(1).text()).contains("RESOLVED");
    }
}
