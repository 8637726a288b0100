package dev.ghost.alerting.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.ghost.alerting.AlertBook;
import dev.ghost.alerting.AlertGroup;
import dev.ghost.alerting.GroupNote;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.alerting.model.AlertState;
import dev.ghost.alerting.model.Labels;
import dev.ghost.alerting.notify.Notification;
import dev.ghost.alerting.outbox.NotificationOutbox;
import dev.ghost.alerting.outbox.OutboxWorkers;
import dev.ghost.alerting.routing.Dispatcher;
import dev.ghost.alerting.routing.GroupState;
import dev.ghost.alerting.routing.Route;
import dev.ghost.alerting.silences.Silence;
import dev.ghost.alerting.silences.SilenceStore;

/**
 * The {@link AlertBook} over the loop's last snapshot (the stored alerts on a standby), the routing tree (groups are computed as
 * the dispatcher computes them), the groups' state in Redis, the silence store and the outbox.
 */
public class LoopAlertBook implements AlertBook {

    private final AlertingLoop loop;
    private final Route routes;
    private final AlertRepository repository;
    private final SilenceStore silences;
    private final NotificationOutbox outbox;
    private final OutboxWorkers workers;
    private final Clock clock;

    public LoopAlertBook(AlertingLoop loop, Route routes, AlertRepository repository, SilenceStore silences,
            NotificationOutbox outbox, OutboxWorkers workers, Clock clock) {
        this.loop = loop;
        this.routes = routes;
        this.repository = repository;
        this.silences = silences;
        this.outbox = outbox;
        this.workers = workers;
        this.clock = clock;
    }

    @Override
    public boolean active() {
        return loop.isRunning();
    }

    /**
     * The running loop's last pass; on a standby (its loop does not run) what the leader last stored in Redis, so a
     * click that reaches the standby finds its alert all the same.
     */
    @Override
    public List<AlertData> alerts() {
        if (loop.isRunning()) {
            return loop.snapshot().alerts().stream().map(AlertingLoop.View::alert).toList();
        }
        try {
            return repository.alerts();
        } catch (RuntimeException e) {
            return List.of(); // Redis unreachable: nothing known
        }
    }

    @Override
    public Optional<AlertData> alert(String fingerprint) {
        return alerts().stream().filter(a -> a.fingerprint().equals(fingerprint)).findFirst();
    }

    @Override
    public List<AlertGroup> groupsOf(AlertData alert) {
        List<AlertGroup> groups = new ArrayList<>();
        for (Route route : routes.match(alert.labelSet())) {
            String id = Dispatcher.groupId(route, route.groupLabels(alert.labelSet()));
            group(id).ifPresent(groups::add);
        }
        return groups;
    }

    @Override
    public Optional<AlertGroup> group(String groupId) {
        Route found = null;
        Map<String, String> labels = null;
        List<AlertData> firing = new ArrayList<>();
        List<AlertData> resolved = new ArrayList<>();
        for (AlertData alert : alerts()) {
            if (alert.state() == AlertState.PENDING) {
                continue;
            }
            for (Route route : routes.match(alert.labelSet())) {
                Map<String, String> groupLabels = route.groupLabels(alert.labelSet());
                if (Dispatcher.groupId(route, groupLabels).equals(groupId)) {
                    found = route;
                    labels = groupLabels;
                    (alert.firing() ? firing : resolved).add(alert);
                }
            }
        }
        if (found == null) {
            return Optional.empty();
        }
        Set<String> told = Set.of();
        try {
            told = repository.groups().stream().filter(g -> g.id().equals(groupId)).findFirst()
                    .map(GroupState::notified).orElse(Set.of());
        } catch (RuntimeException e) {
            // Redis unreachable: nothing known to be told
        }
        return Optional.of(new AlertGroup(groupId, found.receiver(), labels, firing, resolved, told));
    }

    @Override
    public List<String> silencedBy(AlertData alert) {
        Instant now = clock.instant();
        Labels labels = alert.labelSet();
        return silences.current().stream().filter(s -> s.mutes(labels, now)).map(s -> s.silence().id()).toList();
    }

    @Override
    public String silence(Map<String, String> labels, Duration duration, String createdBy, String comment) {
        Instant now = clock.instant();
        List<Silence.MatcherSpec> matchers = new LinkedHashMap<>(labels).entrySet().stream()
                .map(e -> new Silence.MatcherSpec(e.getKey(), "=", e.getValue())).collect(Collectors.toList());
        Silence silence = new Silence(UUID.randomUUID().toString(), matchers, now, now.plus(duration), createdBy, comment, now, now);
        silences.save(silence);
        loop.wake();
        return silence.id();
    }

    @Override
    public void refresh(String groupId, GroupNote news) {
        group(groupId).ifPresent(group -> {
            Notification note = Notification.note(groupId + "-note-" + UUID.randomUUID(), group, news, clock.instant());
            if (workers.delivers(group.receiver()) && outbox.enqueue(note)) {
                workers.wake(group.receiver());
            }
        });
    }
}
