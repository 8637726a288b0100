package dev.ghost.alerting;

/** Evidence an alert points to: the dashboard, a patch summary, an anomaly. */
public record Link(String title, String url) {
}
