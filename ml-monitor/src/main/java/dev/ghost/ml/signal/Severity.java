package dev.ghost.ml.signal;

/** How urgent the detector thinks a signal is; alerting rules may override it. */
public enum Severity {
    INFO, WARNING, CRITICAL
}
