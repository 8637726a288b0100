package dev.ghost.alerting;

/**
 * Something beside alerting that can act on alerts (remediation's runbooks): asked, each time a
 * group's message is rendered, what people can do about it and what was done. Channels show the
 * answer (Slack as buttons and a notes block, the signed webhook and PagerDuty as links); alerting
 * knows nothing of what the actions do. Implementations answer fast and never throw.
 */
@FunctionalInterface
public interface ActionAdvisor {

    Advice advise(AlertGroup group);
}
