package dev.ghost.health.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.integration.leader.event.OnGrantedEvent;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.event.EventPublisher;
import dev.ghost.common.event.GhostEvent;
import dev.ghost.common.leader.Leadership;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.health.HealthKeys;
import dev.ghost.health.config.HealthMeters;
import dev.ghost.health.fleet.FleetView;
import dev.ghost.health.fleet.InstanceView;
import dev.ghost.health.fleet.ServiceView;
import dev.ghost.health.fleet.Status;
import dev.ghost.health.fleet.Transition;
import dev.ghost.health.fleet.Transition.Kind;
import dev.ghost.health.history.HistoryStore;

/**
 * Two members of a pair, and members that restart, each with its own picture and one ledger in a
 * real Redis: what one tells, the other does not repeat; a watcher that starts fresh tells a
 * recovery, not an appearance; a new leader tells what the old one saw and never told, and sends
 * again what the relay never confirmed, under the same event id.
 */
@ExtendWith(RealRedisExtension.class)
class ToldOnceTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final String RUNNER = "runner-service";
    private static final String INSTANCE = "host-a:runner-service:5050";

    private final String namespace = "told-once-" + UUID.randomUUID();
    private final JsonMapper json = JsonMapper.builder().build();
    private LettuceConnectionFactory connections;
    private StringRedisTemplate redis;
    private ExecutorService output;

    /** What one member published, and whether the relay confirms (a member that dies confirms nothing). */
    static final class Relay implements EventPublisher {
        final List<GhostEvent> events = new CopyOnWriteArrayList<>();
        volatile boolean confirms = true;

        @Override
        public void publish(GhostEvent event) {
            events.add(event);
        }

        @Override
        public void publish(GhostEvent event, Runnable accepted) {
            events.add(event);
            if (confirms) {
                accepted.run();
            }
        }

        List<String> types() {
            return events.stream().map(GhostEvent::type).toList();
        }
    }

    @BeforeEach
    void connect() {
        java.net.URI url = java.net.URI.create(RealRedisExtension.url());
        RedisStandaloneConfiguration config = new RedisStandaloneConfiguration(url.getHost(), url.getPort());
        if (url.getPath().length() > 1) {
            config.setDatabase(Integer.parseInt(url.getPath().substring(1)));
        }
        connections = new LettuceConnectionFactory(config);
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
        output = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void disconnect() {
        redis.delete(HealthKeys.ledger(namespace));
        output.shutdownNow();
        connections.destroy();
    }

    private HealthOutput member(Relay relay, Leadership leadership) {
        HealthOutput member = new HealthOutput(relay, new HistoryStore(redis, json, Duration.ofHours(1)), new ConcurrentMapCacheManager(),
                new HealthMeters(new SimpleMeterRegistry()), new TransitionLedger(redis, json, HealthKeys.ledger(namespace)),
                leadership, output, Clock.fixed(T0.plusSeconds(60), java.time.ZoneOffset.UTC), "health-aggregator", 50);
        leadership.onChange(member);
        awaitOutput(); // a member that leads from the start catches up at once, with nothing seen yet
        return member;
    }

    private static Leadership leader() {
        return Leadership.alone("health-aggregator", "leader", Clock.systemUTC());
    }

    private static Leadership standby() {
        return new Leadership("health-aggregator", "standby", Clock.systemUTC());
    }

    private static Transition instance(Kind kind, Status from, Status to, int second) {
        return new Transition(kind, RUNNER, INSTANCE, from, to, T0.plusSeconds(second), null, "poll", 0, null);
    }

    private static Transition service(Kind kind, Status from, Status to, int second) {
        return new Transition(kind, RUNNER, null, from, to, T0.plusSeconds(second), null, null, 0, null);
    }

    private static FleetView view(Status instanceStatus, Status serviceStatus) {
        InstanceView instance = new InstanceView(INSTANCE, RUNNER, "host-a", 5050, instanceStatus, T0, true, "UP", null, null, T0,
                0, null, Map.of());
        ServiceView service = new ServiceView(RUNNER, serviceStatus, T0, instanceStatus == Status.UP ? 1 : 0, 1, List.of(instance));
        return new FleetView(1, T0, serviceStatus, Map.of(serviceStatus, 1), 10_000, null, List.of(service));
    }

    private static FleetView.Round round() {
        return new FleetView.Round(1, T0, 5, 1);
    }

    @Test
    void whatTheLeaderToldTheStandbyDoesNotRepeatWhenItTakesOver() {
        Relay first = new Relay();
        Relay second = new Relay();
        HealthOutput leader = member(first, leader());
        Leadership standbyLeadership = standby();
        HealthOutput standby = member(second, standbyLeadership);

        List<Transition> down = List.of(instance(Kind.INSTANCE_DOWN, Status.UP, Status.DOWN, 1),
                service(Kind.SERVICE_DOWN, Status.UP, Status.DOWN, 1));
        leader.transitions(down, view(Status.DOWN, Status.DOWN));
        standby.transitions(down, view(Status.DOWN, Status.DOWN));
        assertThat(first.types()).containsExactly("health.instance.down", "health.service.down");
        assertThat(second.events).as("a standby tells nothing").isEmpty();

        standbyLeadership.onApplicationEvent(new OnGrantedEvent(this, null, "health-aggregator"));
        standby.round(round(), List.of(), view(Status.DOWN, Status.DOWN));
        awaitOutput();
        assertThat(second.events).as("the new leader finds it all told").isEmpty();

        List<Transition> up = List.of(instance(Kind.INSTANCE_UP, Status.DOWN, Status.UP, 20),
                service(Kind.SERVICE_RECOVERED, Status.DOWN, Status.UP, 20));
        standby.transitions(up, view(Status.UP, Status.UP));
        assertThat(second.types()).containsExactly("health.instance.up", "health.service.recovered");
        assertThat(second.events.get(0).id()).isEqualTo("health:instance:" + INSTANCE + ":2");
    }

    @Test
    void aWatcherThatRestartsWhileAnInstanceIsDownTellsItsRecoveryNotItsAppearance() {
        Relay before = new Relay();
        member(before, leader()).transitions(List.of(instance(Kind.INSTANCE_DOWN, Status.UP, Status.DOWN, 1),
                service(Kind.SERVICE_DOWN, Status.UP, Status.DOWN, 1)), view(Status.DOWN, Status.DOWN));

        // restarted: its fresh fleet sees the instance for the first time, UP again; a fresh fleet tells no service
        // transition from UNKNOWN, so the service's recovery comes from comparing its picture with the ledger
        Relay after = new Relay();
        HealthOutput restarted = member(after, leader());
        restarted.transitions(List.of(instance(Kind.INSTANCE_APPEARED, Status.UNKNOWN, Status.UP, 30)), view(Status.UP, Status.UP));
        restarted.round(round(), List.of(), view(Status.UP, Status.UP));

        assertThat(after.types()).containsExactly("health.instance.up", "health.service.recovered");
        assertThat(after.events.get(0).data()).containsEntry("previous", "DOWN");
        assertThat(after.events.get(1).data()).containsEntry("previous", "DOWN");
    }

    @Test
    void aWatcherThatRestartsWhileAllIsWellTellsNothing() {
        member(new Relay(), leader()).transitions(List.of(instance(Kind.INSTANCE_APPEARED, Status.UNKNOWN, Status.UP, 1)),
                view(Status.UP, Status.UP));

        Relay after = new Relay();
        HealthOutput restarted = member(after, leader());
        restarted.transitions(List.of(instance(Kind.INSTANCE_APPEARED, Status.UNKNOWN, Status.UP, 30)), view(Status.UP, Status.UP));
        restarted.round(round(), List.of(), view(Status.UP, Status.UP));

        assertThat(after.events).isEmpty();
    }

    @Test
    void aNewLeaderTellsWhatTheOldOneSawButNeverToldAndResendsWhatWasNeverConfirmed() {
        Relay dying = new Relay();
        dying.confirms = false; // it told the instance DOWN, then died before the relay took the event
        member(dying, leader()).transitions(List.of(instance(Kind.INSTANCE_DOWN, Status.UP, Status.DOWN, 1)),
                view(Status.DOWN, Status.DEGRADED));

        Relay next = new Relay();
        Leadership nextLeadership = standby();
        HealthOutput successor = member(next, nextLeadership);
        successor.transitions(List.of(), view(Status.DOWN, Status.DOWN)); // its own picture: the service is DOWN too
        nextLeadership.onApplicationEvent(new OnGrantedEvent(this, null, "health-aggregator"));
        awaitOutput();

        assertThat(next.types()).containsExactlyInAnyOrder("health.service.down", "health.instance.down");
        GhostEvent resent = next.events.stream().filter(e -> e.type().equals("health.instance.down")).findFirst().orElseThrow();
        assertThat(resent.id()).as("the same event, so the consumer drops it if it did arrive")
                .isEqualTo(dying.events.stream().filter(e -> e.type().equals("health.instance.down")).findFirst().orElseThrow().id());
    }

    private void awaitOutput() {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        output.execute(done::countDown);
        await().atMost(Duration.ofSeconds(5)).until(() -> done.getCount() == 0);
    }
}
