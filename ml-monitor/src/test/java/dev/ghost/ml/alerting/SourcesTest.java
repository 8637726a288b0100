package dev.ghost.ml.alerting;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.ghost.common.event.GhostEvent;
import dev.ghost.ml.alerting.model.AlertSignal;
import dev.ghost.ml.alerting.slack.Redactor;
import dev.ghost.ml.alerting.sources.CauseClassifier;
import dev.ghost.ml.alerting.sources.EventSignals;
import dev.ghost.ml.alerting.sources.MlSignalSink;
import dev.ghost.ml.signal.Severity;
import dev.ghost.ml.signal.Signal;
import dev.ghost.ml.signal.SignalKind;

import static dev.ghost.ml.alerting.AlertingStack.event;
import static org.assertj.core.api.Assertions.assertThat;

/** The adapters from other services' events and the ML monitor's signals, and the secret redaction. */
class SourcesTest {

    final EventSignals signals = new EventSignals(new AlertingProperties(),
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
    void mlSignalsKeepAStableSubjectAndTheirEvidence() {
        MlSignalSink sink = new MlSignalSink(null, "http://ml:5080/");
        Signal burst = Signal.of(SignalKind.BURST, Severity.WARNING, 0.7, "12 error lines from relay-service within 5 min (usually 1.0)",
                Map.of("source", "relay-service"), List.of("/anomalies?source=relay-service"), Instant.now(),
                Map.of("count", 12, "threshold", 6.0, "windowMinutes", 5));
        AlertSignal converted = sink.convert(burst);
        assertThat(converted.name()).isEqualTo("ml.burst");
        assertThat(converted.value()).isEqualTo(0.7);
        assertThat(converted.subject()).containsEntry("service", "relay-service").containsEntry("events", "error lines");
        assertThat(converted.links()).extracting(l -> l.title() + " " + l.url())
                .containsExactly("Anomaly http://ml:5080/anomalies?source=relay-service");

        Signal failure = Signal.of(SignalKind.FAILURE, Severity.WARNING, 0.8, "compile failure in web",
                Map.of("source", "runner-1", "target", "web", "patchId", "p9", "status", "FAILED", "failureType", "compile"),
                List.of(), Instant.now(), Map.of());
        AlertSignal classified = sink.convert(failure);
        assertThat(classified.subject()).isEqualTo(Map.of("source", "runner-1", "target", "web"));
        assertThat(classified.annotations()).containsEntry("cause", "compile").containsEntry("patchId", "p9");
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
