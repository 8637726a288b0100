package dev.ghost.ml.signal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ghost.alerting.AlertSignal;

import static org.assertj.core.api.Assertions.assertThat;

/** The ML monitor's signals as alerting gets them. */
class AlertingSignalSinkTest {

    @Test
    void mlSignalsKeepAStableSubjectAndTheirEvidence() {
        AlertingSignalSink sink = new AlertingSignalSink(null, "http://ml:5080/");
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
}
