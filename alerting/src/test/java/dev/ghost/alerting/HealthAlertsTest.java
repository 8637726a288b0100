package dev.ghost.alerting;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.alerting.test.AlertingStack;
import dev.ghost.alerting.test.SlackStandIn;

import static dev.ghost.alerting.test.AlertingStack.down;
import static dev.ghost.alerting.test.AlertingStack.event;
import static dev.ghost.alerting.test.AlertingStack.unique;
import static dev.ghost.alerting.test.AlertingStack.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** health.* events through POST /events to the Slack stand-in: grouping, dedup, flapping, repeat, inhibition, storms. */
@ExtendWith(RealRedisExtension.class)
class HealthAlertsTest {

    static final Duration PATIENCE = Duration.ofSeconds(15);
    static AlertingStack stack;

    @BeforeAll
    static void start() {
        stack = AlertingStack.shared();
    }

    List<SlackStandIn.Received> messages(String about) {
        return stack.slack.delivered(about);
    }

    void awaitMessages(String about, int count) {
        await().atMost(PATIENCE).until(() -> messages(about).size() >= count);
    }

    /** Nothing more arrives for a while (longer than the test group interval). */
    void staysAt(String about, int count) {
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(messages(about)).extracting(SlackStandIn.Received::text).hasSize(count));
    }

    @Test
    void aDeadInstanceIsOneDownMessageToOnCallAndItsRecoveryOneResolve() {
        String service = unique("svc");
        stack.events(down(service, service + ":5051"));
        awaitMessages(service, 1);
        SlackStandIn.Received fired = messages(service).get(0);
        assertThat(fired.text()).contains("[FIRING:1]").contains(service + ":5051").contains("is DOWN");
        assertThat(fired.toOncall()).as("health goes to the on-call receiver").isTrue();
        assertThat(fired.attachments()).contains("#E01E5A").contains("connection refused").contains("/silences");
        stack.events(up(service, service + ":5051"));
        awaitMessages(service, 2);
        assertThat(messages(service).get(1).text()).contains("[RESOLVED]");
        assertThat(messages(service).get(1).attachments()).contains("#2EB67D").contains("Resolved:");
        staysAt(service, 2);
    }

    @Test
    void threeInstancesOfOneServiceDownAtOnceAreOneMessage() {
        String service = unique("svc");
        stack.events(down(service, service + ":1"), down(service, service + ":2"), down(service, service + ":3"),
                event("health.service.degraded", "service", service, "status", "DEGRADED", "previous", "UP"));
        awaitMessages(service, 1);
        staysAt(service, 1);
        SlackStandIn.Received message = messages(service).get(0);
        assertThat(message.text()).contains("[FIRING:3]").contains("InstanceDown ×3").doesNotContain("ServiceDegraded");
        assertThat(message.attachments()).contains(service + ":1").contains(service + ":2").contains(service + ":3");
    }

    @Test
    void theSameAlertToldAgainIsNotANewMessage() {
        String service = unique("svc");
        stack.events(down(service, service + ":1"));
        awaitMessages(service, 1);
        stack.events(down(service, service + ":1"));
        stack.events(down(service, service + ":1"));
        staysAt(service, 1);
        JsonNode alerts = TestHttp.json(TestHttp.get(stack.url("/alerts?filter=service=" + service), TestTokens.READ));
        assertThat(alerts.get("alerts")).hasSize(1);
        assertThat(alerts.get("alerts").get(0).get("count").intValue()).isEqualTo(3);
    }

    @Test
    void aFlappingInstanceIsHeldAsOneAlertAndResolvedOnceWhenItSettles() {
        String service = unique("flap");
        String instance = service + ":1";
        stack.events(down(service, instance));
        awaitMessages(service, 1);
        stack.events(up(service, instance));
        awaitMessages(service, 2);
        stack.events(down(service, instance)); // back within the flap window: flapping
        awaitMessages(service, 3);
        assertThat(messages(service).get(2).attachments()).contains("Flapping:");
        for (int i = 0; i < 3; i++) {
            stack.events(up(service, instance), down(service, instance));
        }
        stack.events(up(service, instance));
        staysAt(service, 3); // flips while flapping: no message (settle is 3 s in tests)
        awaitMessages(service, 4);
        assertThat(messages(service).get(3).text()).contains("[RESOLVED]");
        staysAt(service, 4);
    }

    @Test
    void anInstanceTheAggregatorReportsAsFlappingIsOneMessageAndOneResolve() {
        String service = unique("flap");
        String instance = service + ":1";
        stack.events(down(service, instance),
                event("health.instance.flapping", "service", service, "instance", instance, "status", "FLAPPING", "flips", 6));
        awaitMessages(service, 1);
        assertThat(messages(service).get(0).attachments()).contains("6 flips");
        stack.events(event("health.instance.flapping", "service", service, "instance", instance, "status", "FLAPPING", "flips", 9));
        staysAt(service, 1);
        stack.events(event("health.instance.up", "service", service, "instance", instance, "status", "UP", "previous", "FLAPPING"));
        awaitMessages(service, 2);
        assertThat(messages(service).get(1).text()).contains("[RESOLVED]");
        staysAt(service, 2);
    }

    @Test
    void aFiringGroupIsRepeatedAfterItsRepeatInterval() {
        String service = unique("repeat");
        stack.events(down(service, service + ":1"));
        awaitMessages(service, 2); // repeat-interval is 2 s for repeat-* in the test configuration
        assertThat(messages(service).get(0).text()).contains("[FIRING:1]");
        assertThat(messages(service).get(1).text()).contains("[STILL FIRING:1]");
        stack.events(up(service, service + ":1"));
        await().atMost(PATIENCE).until(() -> messages(service).stream().anyMatch(m -> m.text().contains("[RESOLVED]")));
    }

    @Test
    void aServiceDownInhibitsItsInstances() {
        String service = unique("svc");
        stack.events(down(service, service + ":1"), down(service, service + ":2"),
                event("health.service.down", "service", service, "status", "DOWN", "previous", "DEGRADED"));
        awaitMessages(service, 1);
        staysAt(service, 1);
        SlackStandIn.Received message = messages(service).get(0);
        assertThat(message.text()).contains("[FIRING:1]").contains("is DOWN: no instance answers");
        assertThat(message.attachments()).contains("2 alerts of this group silenced or inhibited");
        JsonNode alerts = TestHttp.json(TestHttp.get(stack.url("/alerts?filter=alertname=InstanceDown&filter=service=" + service),
                TestTokens.READ)).get("alerts");
        assertThat(alerts).hasSize(2);
        alerts.forEach(alert -> assertThat(alert.get("status").get("inhibitedBy")).hasSize(1));
    }

    @Test
    void anAlertStormBecomesOneSummary() {
        String service = unique("storm");
        List<dev.ghost.common.event.GhostEvent> downs = new java.util.ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            downs.add(down(service, service + ":" + i));
        }
        stack.events(downs.toArray(dev.ghost.common.event.GhostEvent[]::new));
        awaitMessages(service, 1);
        staysAt(service, 1);
        SlackStandIn.Received storm = messages(service).get(0);
        assertThat(storm.text()).contains("Alert storm: 6 groups, 6 alerts");
        assertThat(storm.attachments()).contains("3 more alerts in 3 more groups");
    }

    @Test
    void aBigGroupListsSomeAlertsAndCountsTheRest() {
        String service = unique("big");
        List<dev.ghost.common.event.GhostEvent> downs = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            downs.add(down(service, service + ":" + i));
        }
        stack.events(downs.toArray(dev.ghost.common.event.GhostEvent[]::new));
        awaitMessages(service, 1);
        staysAt(service, 1);
        assertThat(messages(service).get(0).attachments()).contains("2 more alerts in this group");
    }
}
