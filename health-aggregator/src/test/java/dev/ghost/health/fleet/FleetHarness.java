package dev.ghost.health.fleet;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.ghost.common.test.BoundProperties;
import dev.ghost.health.config.HealthProperties;
import dev.ghost.health.fake.FakeInstance;
import dev.ghost.health.probe.AsyncLimiter;
import dev.ghost.health.probe.ProbeClient;
import dev.ghost.health.probe.Prober;
import dev.ghost.health.probe.Target;

/** A real fleet polling real HTTP fakes, recording what it tells its listener. */
final class FleetHarness implements AutoCloseable {

    final List<Transition> transitions = new CopyOnWriteArrayList<>();
    final List<List<Sample>> rounds = new CopyOnWriteArrayList<>();
    final List<FakeInstance> fakes = new ArrayList<>();
    final ExecutorService serverThreads = Executors.newCachedThreadPool();
    final ExecutorService clientThreads = ProbeClient.executor();
    final ExecutorService output = Executors.newSingleThreadExecutor();
    final HealthProperties properties;
    Fleet fleet;

    /** Quick rounds and confirmations, unless {@code overrides} ({@code ghost.health.*} names) say otherwise. */
    FleetHarness(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of("interval", "400ms", "timeout", "500ms", "confirmations", "3",
                "confirm-within", "600ms", "flap-threshold", "5", "flap-window", "20s", "settle-after", "1500ms"));
        settings.putAll(overrides);
        properties = BoundProperties.bind(HealthProperties.class, settings);
    }

    FakeInstance fake(String service) {
        FakeInstance fake = FakeInstance.start(service, serverThreads, null);
        fakes.add(fake);
        return fake;
    }

    Fleet start(Collection<Target> targets) {
        Prober prober = new Prober(ProbeClient.create(properties.timeout(), clientThreads),
                new AsyncLimiter(properties.maxConcurrency()), properties.timeout());
        fleet = new Fleet(properties, prober, new FleetListener() {
            @Override
            public void transitions(List<Transition> told, FleetView view) {
                transitions.addAll(told);
            }

            @Override
            public void round(FleetView.Round round, List<Sample> samples, FleetView view) {
                rounds.add(samples);
            }
        }, output, Clock.systemUTC());
        fleet.reconcile(targets);
        fleet.start();
        return fleet;
    }

    List<String> events(String subject) {
        return transitions.stream()
                .filter(t -> subject.equals(t.instance() != null ? t.instance() : t.service()))
                .map(t -> t.kind().eventType())
                .toList();
    }

    Status status(String instance) {
        return fleet.view().services().stream().flatMap(s -> s.instances().stream())
                .filter(i -> i.id().equals(instance)).map(InstanceView::status).findFirst().orElse(null);
    }

    @Override
    public void close() {
        if (fleet != null) {
            fleet.close();
        }
        fakes.forEach(FakeInstance::close);
        serverThreads.shutdownNow();
        clientThreads.shutdownNow();
        output.shutdownNow();
    }
}
