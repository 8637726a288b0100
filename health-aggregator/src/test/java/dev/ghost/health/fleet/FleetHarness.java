package dev.ghost.health.fleet;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

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
    final HealthProperties properties = new HealthProperties();
    Fleet fleet;

    FleetHarness(Consumer<HealthProperties> configure) {
        properties.setInterval(Duration.ofMillis(400));
        properties.setTimeout(Duration.ofMillis(500));
        properties.setConfirmations(3);
        properties.setConfirmWithin(Duration.ofMillis(600));
        properties.setFlapThreshold(5);
        properties.setFlapWindow(Duration.ofSeconds(20));
        properties.setSettleAfter(Duration.ofMillis(1500));
        configure.accept(properties);
    }

    FakeInstance fake(String service) {
        FakeInstance fake = FakeInstance.start(service, serverThreads, null);
        fakes.add(fake);
        return fake;
    }

    Fleet start(Collection<Target> targets) {
        Prober prober = new Prober(ProbeClient.create(properties.getTimeout(), clientThreads),
                new AsyncLimiter(properties.getMaxConcurrency()), properties.getTimeout());
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
