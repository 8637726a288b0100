package dev.ghost.ml.alerting.outbox;

/** Makes one attempt to hand a notification over (to Slack). */
public interface Deliverer {

    DeliveryResult deliver(Notification notification);
}
