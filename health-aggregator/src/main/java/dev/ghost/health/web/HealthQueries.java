package dev.ghost.health.web;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.cache.annotation.Cacheable;

import dev.ghost.health.HealthKeys;
import dev.ghost.health.fleet.Fleet;
import dev.ghost.health.fleet.FleetView;
import dev.ghost.health.fleet.ServiceView;
import dev.ghost.health.history.HistoryQuery;
import dev.ghost.health.history.HistoryStore;
import dev.ghost.health.history.HistoryView;

/**
 * The answers of the health API, cached in Redis (TTL at most the interval) so many dashboards
 * cost one computation. Keys carry the fleet's transition generation: after a transition no
 * older answer is ever served, even one stored while the caches were being emptied.
 */
public class HealthQueries {

    private final Fleet fleet;
    private final HistoryStore history;
    private final Clock clock;

    public HealthQueries(Fleet fleet, HistoryStore history, Clock clock) {
        this.fleet = fleet;
        this.history = history;
        this.clock = clock;
    }

    public long generation() {
        return fleet.generation();
    }

    @Cacheable(cacheNames = HealthKeys.CACHE_SUMMARY, key = "#generation")
    public FleetView summary(long generation) {
        return fleet.view();
    }

    @Cacheable(cacheNames = HealthKeys.CACHE_SERVICE, key = "#generation + ':' + #name", unless = "#result == null")
    public ServiceView service(long generation, String name) {
        return fleet.view().service(name);
    }

    /** {@code request} is the query as asked (relative times unresolved), so "the last hour" is one cache entry. */
    @Cacheable(cacheNames = HealthKeys.CACHE_HISTORY, key = "#generation + ':' + #request")
    public HistoryView history(long generation, String request, HistoryQuery query) {
        List<String> instances = query.instance() != null ? List.of(query.instance())
                : history.instances(query.service(), query.since());
        List<HistoryView.Series> series = instances.stream()
                .map(instance -> new HistoryView.Series(instance, history.read(instance, query.since(), query.step())))
                .toList();
        Instant now = clock.instant();
        return new HistoryView(query.service(), query.instance(), query.since(), now, query.step().toMillis(),
                history.retention().toMillis(), series);
    }
}
