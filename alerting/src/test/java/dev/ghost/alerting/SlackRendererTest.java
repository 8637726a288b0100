package dev.ghost.alerting;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.model.AlertData;
import dev.ghost.alerting.model.AlertState;
import dev.ghost.alerting.Link;
import dev.ghost.alerting.model.Occurrence;
import dev.ghost.alerting.notify.Notification;
import dev.ghost.alerting.channel.slack.SlackRenderer;

import static org.assertj.core.api.Assertions.assertThat;

/** The Block Kit layout: what an on-call engineer reads. */
class SlackRendererTest {

    static final Instant NOW = Instant.parse("2026-11-28T10:05:00Z");
    final SlackRenderer renderer = new SlackRenderer("http://localhost:5080", "http://localhost:5070/");

    static AlertData alert(String name, String severity, Map<String, String> subject, AlertState state, Map<String, String> annotations,
            int count, List<Occurrence> occurrences, List<Double> series) {
        Map<String, String> labels = new java.util.TreeMap<>(subject);
        labels.put("alertname", name);
        labels.put("severity", severity);
        Instant start = Instant.parse("2026-11-28T10:00:00Z");
        return new AlertData("f" + subject.hashCode(), name, labels, subject, state, start, start,
                state == AlertState.RESOLVED ? NOW : null, NOW, NOW, annotations, List.of(new Link("Patch summary", "http://relay/p/summary")),
                count, occurrences, series, 0, false, null, false);
    }

    JsonNode blocks(SlackRenderer.SlackMessage notification) {
        return JsonMapper.builder().build().readTree(notification.attachments()).get(0);
    }

    @Test
    void aFiringPatchAlertSaysWhatWhereSinceTheCauseAndHowToSilenceIt() {
        List<Occurrence> streak = List.of(new Occurrence(Instant.parse("2026-11-28T10:00:00Z"), "patch.failed", null, "compile"),
                new Occurrence(Instant.parse("2026-11-28T10:02:00Z"), "patch.failed", null, "compile"),
                new Occurrence(Instant.parse("2026-11-28T10:04:30Z"), "patch.failed", null, "test"));
        AlertData alert = alert("PatchFailing", "warning", Map.of("target", "web"), AlertState.FIRING,
                Map.of("summary", "Patches fail on target web", "cause", "compile", "causeProbability", "0.93",
                        "step", "npm run build", "exitCode", "2", "outputTail", "error TS2304: Cannot find name 'Foo'. <b>"), 3, streak, List.of());
        Notification notice = new Notification("g1-1", Notification.Kind.FIRING, "team", "0", "g1",
                Map.of("alertname", "PatchFailing", "target", "web"), List.of(alert), List.of(), 0, true, 10, NOW, List.of(), null);
        SlackRenderer.SlackMessage notification = renderer.render(notice);
        assertThat(notification.text()).isEqualTo("🟠 [FIRING:1] Patches fail on target web");
        assertThat(notice.continuesGroupMessage()).isFalse();
        JsonNode attachment = blocks(notification);
        assertThat(attachment.get("color").stringValue()).isEqualTo("#ECB22E");
        String all = attachment.toString();
        assertThat(all).contains("*Where:* `target=web`")
                .contains("*Since:* <!date^1795860000^{date_short_pretty} {time_secs}|2026-11-28T10:00:00Z> (5m 0s)")
                .contains("*Cause (GHOST classified):* *compile* (93%)")
                .contains("*Occurrences:* 3 (compile ×2, test ×1)")
                .contains("*Trend:* `█▁▁▁▁▁▁▁▁█▁▁▁▁▁▁▁▁▁▁▁█▁▁`")
                .contains("*Step:* `npm run build` exited 2")
                .contains("&lt;b&gt;")
                .contains("<http://relay/p/summary|Patch summary>").contains("|Dashboard>")
                .contains("curl -X POST http://localhost:5080/silences")
                .contains("{\\\"name\\\":\\\"target\\\",\\\"op\\\":\\\"=\\\",\\\"value\\\":\\\"web\\\"}");
    }

    @Test
    void aResolveIsGreenAndUpdatesTheGroupsMessage() {
        AlertData resolved = alert("InstanceDown", "critical", Map.of("service", "s", "instance", "i"), AlertState.RESOLVED,
                Map.of("summary", "i of s is DOWN"), 1, List.of(), List.of());
        Notification notice = new Notification("g2-2", Notification.Kind.RESOLVED, "oncall", "0.0", "g2",
                Map.of("service", "s"), List.of(), List.of(resolved), 0, false, 10, NOW, List.of(), null);
        SlackRenderer.SlackMessage notification = renderer.render(notice);
        assertThat(notification.text()).startsWith("✅ [RESOLVED]");
        assertThat(notice.continuesGroupMessage()).isTrue();
        assertThat(blocks(notification).get("color").stringValue()).isEqualTo("#2EB67D");
        assertThat(blocks(notification).toString()).contains("*Resolved:*").contains("after 5m 0s").doesNotContain("Silence:");
    }

    @Test
    void aBigGroupListsTheFirstAlertsAndCountsTheRest() {
        List<AlertData> firing = new ArrayList<>();
        for (int i = 0; i < 47; i++) {
            firing.add(alert("MetricAnomaly", "warning", Map.of("series", "cpu-" + i), AlertState.FIRING,
                    Map.of("summary", "cpu-" + i + " unusual"), 1, List.of(), List.of(1.0, 2.0, 8.0, 3.0)));
        }
        Notification notice = new Notification("g3-1", Notification.Kind.FIRING, "team", "0", "g3",
                Map.of("alertname", "MetricAnomaly"), firing, List.of(), 2, true, 10, NOW, List.of(), null);
        SlackRenderer.SlackMessage notification = renderer.render(notice);
        String all = blocks(notification).toString();
        assertThat(all).contains("37 more alerts in this group").contains("2 alerts of this group silenced or inhibited")
                .contains("cpu-9 unusual").doesNotContain("cpu-10 unusual").contains("`▁▂█▃`");
        assertThat(notification.text()).contains("[FIRING:47] 47 alerts in MetricAnomaly: MetricAnomaly ×47");
    }
}
