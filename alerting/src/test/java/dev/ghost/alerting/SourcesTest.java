package dev.ghost.alerting;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.ghost.common.event.GhostEvent;
import dev.ghost.alerting.AlertSignal;
import dev.ghost.alerting.notify.Redactor;
import dev.ghost.alerting.CauseClassifier;
import dev.ghost.alerting.sources.EventSignals;

import static dev.ghost.alerting.test.AlertingStack.event;
import static org.assertj.core.api.Assertions.assertThat;

/** The adapter from other services' events, and the secret redaction. */
class SourcesTest {

    final EventSignals signals = new EventSignals("http://localhost:5060/relay/patches/{patchId}/summary",
            Optional.of(text -> Optional.of(new CauseClassifier.Cause(text.contains("OutOfMemoryError") ? "out-of-memory" : "unknown", 0.9))));

    AlertSignal only(GhostEvent event) {
        List<AlertSignal> found = signals.from(event);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void healthTransitionsNameTheirServiceAndInstance() {
        AlertSignal down = only(event("health.instance.down", "service", "runner-service", "instance", "h:runner-service:5051",
                "status", "DOWN", "reason", "connection refused", "via", "watch"));
        assertThat(down.name()).isEqualTo("health.instance.down");
        assertThat(down.subject()).isEqualTo(Map.of("service", "runner-service", "instance", "h:runner-service:5051"));
        assertThat(down.annotations()).containsEntry("reason", "connection refused").containsEntry("status", "DOWN");

        AlertSignal flapping = only(event("health.instance.flapping", "service", "s", "instance", "i", "status", "FLAPPING", "flips", 7));
        assertThat(flapping.hint(AlertSignal.FLAPPING)).isTrue();
        assertThat(flapping.annotations()).containsEntry("flips", "7");
        assertThat(only(event("health.instance.up", "service", "s", "instance", "i", "previous", "FLAPPING")).hint(AlertSignal.SETTLED))
                .isTrue();
        assertThat(only(event("health.instance.up", "service", "s", "instance", "i", "previous", "DOWN")).hint(AlertSignal.SETTLED))
                .isFalse();
        assertThat(only(event("health.service.down", "service", "s")).subject()).isEqualTo(Map.of("service", "s"));
        assertThat(signals.from(event("health.instance.down", "instance", "no service"))).isEmpty();
        assertThat(signals.from(event("metric.sample", "service", "s"))).isEmpty();
    }

    @Test
    void aFailedPatchCarriesItsFailingStepAndTheClassifiedCause() {
        assertThat(signals.from(event("patch.step", "patchId", "p1", "target", "t", "step", "java -Xmx8m App", "outcome", "failed",
                "exitCode", 1, "outputTail", "java.lang.OutOfMemoryError: Java heap space"))).isEmpty();
        AlertSignal failed = only(event("patch.failed", "patchId", "p1", "target", "t", "status", "FAILED", "runner", "r1"));
        assertThat(failed.subject()).isEqualTo(Map.of("target", "t"));
        assertThat(failed.annotations()).containsEntry("cause", "out-of-memory").containsEntry("causeProbability", "0.9")
                .containsEntry("step", "java -Xmx8m App").containsEntry("exitCode", "1").containsEntry("runner", "r1");
        assertThat(failed.links()).extracting(l -> l.url()).containsExactly("http://localhost:5060/relay/patches/p1/summary");

        assertThat(only(event("patch.timed_out", "patchId", "p2", "target", "t")).annotations()).containsEntry("cause", "timeout");
        assertThat(only(event("patch.failed", "patchId", "p3", "target", "t", "failureType", "network")).annotations())
                .containsEntry("cause", "network");
        assertThat(only(event("patch.succeeded", "patchId", "p4", "target", "t")).annotations()).doesNotContainKey("cause");
        assertThat(only(event("relay.dead_letter", "subscriber", "ml-monitor", "eventType", "log.error")).subject())
                .isEqualTo(Map.of("subscriber", "ml-monitor"));
    }

    @Test
    void secretsAreRedactedWhereverTheyAppear() {
        Redactor redactor = new Redactor(List.of("https://hooks.slack.com/services/T1/B2/secret3", "xoxb-123-secret", ""));
        assertThat(redactor.redact("POST https://hooks.slack.com/services/T1/B2/secret3 failed"))
                .isEqualTo("POST [redacted] failed");
        assertThat(redactor.redact("path /services/T1/B2/secret3 and token xoxb-123-secret")).isEqualTo("path [redacted] and token [redacted]");
        assertThat(redactor.redact("nothing secret")).isEqualTo("nothing secret");
    }
}
