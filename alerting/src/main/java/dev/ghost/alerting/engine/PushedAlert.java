package dev.ghost.alerting.engine;

import java.time.Instant;
import java.util.Map;

import dev.ghost.alerting.model.Labels;

/**
 * An alert as Alertmanager's API receives it from Prometheus (or any client speaking it): its
 * labels are its identity, it fires until {@code endsAt} (pushed again to stay firing), and an
 * {@code endsAt} in the past resolves it.
 *
 * @param startsAt when it started firing at the source; null: when GHOST first heard of it
 * @param endsAt   when it ends unless pushed again (or ended, if in the past); null: the resolve timeout from now
 */
public record PushedAlert(Labels labels, Map<String, String> annotations, Instant startsAt, Instant endsAt,
        String generatorUrl) {

    public PushedAlert {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
