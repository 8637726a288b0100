package dev.ghost.alerting.model;

/** Prometheus' alert states: waiting out its {@code for} duration, firing, or over. */
public enum AlertState {
    PENDING, FIRING, RESOLVED;

    public String json() {
        return name().toLowerCase();
    }
}
