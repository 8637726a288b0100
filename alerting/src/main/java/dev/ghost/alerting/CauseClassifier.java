package dev.ghost.alerting;

import java.util.Optional;

/**
 * Names the failure type of a failed patch's output (timeout, out-of-memory, compile/syntax...)
 * with a probability. Backed by the ML monitor's trained failure classifier.
 */
public interface CauseClassifier {

    record Cause(String type, double probability) {
    }

    Optional<Cause> classify(String text);
}
