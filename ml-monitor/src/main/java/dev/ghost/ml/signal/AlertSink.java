package dev.ghost.ml.signal;

/**
 * Receives every signal the ML monitor raises, as it is raised; {@link AlertingSignalSink} hands
 * them to alerting. Implementations must return quickly and must not throw: detection goes on regardless.
 */
public interface AlertSink {

    void accept(Signal signal);
}
