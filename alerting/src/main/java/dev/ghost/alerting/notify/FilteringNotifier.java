package dev.ghost.alerting.notify;

import java.util.function.Predicate;

/**
 * A notifier that lets through only the notifications {@code filter} accepts; the rest count as
 * delivered (nothing to send is a finished job). Used for a receiver's {@code send-resolved: false}.
 */
public final class FilteringNotifier implements Notifier {

    private final Notifier delegate;
    private final Predicate<Notification> filter;

    public FilteringNotifier(Notifier delegate, Predicate<Notification> filter) {
        this.delegate = delegate;
        this.filter = filter;
    }

    /** Alertmanager's {@code send_resolved: false}: no message that only says alerts resolved. */
    public static FilteringNotifier withoutResolved(Notifier delegate) {
        return new FilteringNotifier(delegate, n -> n.kind() != Notification.Kind.RESOLVED && n.kind() != Notification.Kind.UPDATE);
    }

    @Override
    public DeliveryResult notify(Notification notification) {
        return filter.test(notification) ? delegate.notify(notification) : new DeliveryResult.Delivered();
    }
}
