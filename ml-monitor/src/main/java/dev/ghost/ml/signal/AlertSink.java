package dev.ghost.ml.signal;

/**
 * Receives every signal the ML monitor raises, as it is raised. The alerting issue implements it
 * (grouping, silences, Slack); until then {@link RecordingAlertSink} only records. Implementations
 * must return quickly and must not throw: detection goes on regardless.
 */
public interface AlertSink {

    void accept(Signal signal);
}
