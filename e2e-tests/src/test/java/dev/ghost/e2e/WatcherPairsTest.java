package dev.ghost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.health.HealthAggregatorApplication;
import dev.ghost.ml.MlMonitorApplication;
import dev.ghost.registry.TestRegistry;
import dev.ghost.relay.RelayApplication;
import dev.ghost.runner.RunnerApplication;

/**
 * The watchers in pairs, every service real and in this JVM: two health-aggregators and two
 * ml-monitors elect their leaders in Redis, the relay delivers events to whichever ml-monitor leads,
 * and alerting posts to a local server speaking Slack's incoming-webhook protocol. A runner's outage
 * is one FIRING and one RESOLVED whatever happens to the watchers meanwhile: the active ml-monitor
 * stopped, every watcher restarted. With no ml-monitor left, the health-aggregator pages by itself.
 */
@ExtendWith(RealRedisExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatcherPairsTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String ML = "ml-monitor-" + RUN;
    private static final String HEALTH = "health-aggregator-" + RUN;
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    static final List<String> slackMessages = new CopyOnWriteArrayList<>();
    static MockWebServer slack;
    static TestRegistry registry;
    static Path home;
    static RunningApp steadyRunner;
    static RunningApp victimRunner;
    static int victimPort;
    static RunningApp relay;
    static final List<RunningApp> mls = new CopyOnWriteArrayList<>();
    static final List<RunningApp> healths = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startTheStack() throws IOException {
        slack = new MockWebServer();
        slack.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                slackMessages.add(Instant.now() + " " + request.getBody().readUtf8());
                return new MockResponse().setBody("ok");
            }
        });
        slack.start();
        home = Files.createTempDirectory("ghost-pairs");
        registry = TestRegistry.start();
        steadyRunner = runner("steady", TestApps.freePort());
        victimPort = TestApps.freePort();
        victimRunner = runner("victim", victimPort);

        Map<String, String> relayProperties = discovery();
        relayProperties.put("ghost.relay.subscribers.ml-monitor", "");
        relayProperties.put("ghost.relay.subscribers." + ML, "patch.*,health.*");
        relayProperties.put("ghost.relay.events.poll-interval", "100ms");
        relayProperties.put("ghost.relay.events.max-backoff", "2s");
        relay = TestApps.start(RelayApplication.class, relayProperties);

        mls.add(ml());
        mls.add(ml());
        healths.add(health());
        healths.add(health());
    }

    @AfterAll
    static void stopTheStack() throws IOException {
        List<AutoCloseable> apps = new ArrayList<>(healths);
        apps.addAll(mls);
        apps.addAll(List.of(relay, victimRunner, steadyRunner, registry));
        for (AutoCloseable app : apps) {
            try {
                if (app != null) {
                    app.close();
                }
            } catch (Exception e) {
                // stopping everything anyway
            }
        }
        slack.shutdown();
    }

    /** Eureka timings a loaded 2-core machine keeps up with; pairs hand over within a 3 s lease. */
    private static Map<String, String> discovery() {
        Map<String, String> properties = new HashMap<>(registry.clientProperties());
        properties.put("eureka.instance.lease-renewal-interval-in-seconds", "2");
        properties.put("eureka.instance.lease-expiration-duration-in-seconds", "10");
        return properties;
    }

    private static Map<String, String> pairMember(String service) {
        Map<String, String> properties = discovery();
        properties.put("spring.application.name", service);
        properties.put("ghost.leader.enabled", "true");
        properties.put("ghost.leader.lease", "3s");
        properties.put("ghost.leader.heartbeat", "500ms");
        properties.put("ghost.leader.retry", "200ms");
        return properties;
    }

    private static RunningApp runner(String name, int port) {
        Map<String, String> properties = discovery();
        properties.put("server.port", String.valueOf(port));
        properties.put("ghost.runner.workspaces.pairs-" + RUN, home.resolve("workspace").toString());
        properties.put("ghost.runner.state-dir", home.resolve("state-" + name).toString());
        return TestApps.start(RunnerApplication.class, properties);
    }

    private static RunningApp ml() {
        Map<String, String> properties = pairMember(ML);
        properties.put("ghost.alerting.namespace", "pairs-" + RUN);
        properties.put("ghost.alerting.slack.webhook-url", slack.url("/services/T000/B000/pairs").toString());
        return TestApps.start(MlMonitorApplication.class, properties);
    }

    private static RunningApp health() {
        Map<String, String> properties = pairMember(HEALTH);
        properties.put("ghost.health.namespace", "pairs-" + RUN);
        properties.put("ghost.health.interval", "2s");
        properties.put("ghost.health.watchdog.service", ML);
        properties.put("ghost.health.watchdog.after", "4s");
        properties.put("ghost.health.watchdog.webhook-url", slack.url("/services/T000/B000/watchdog").toString());
        return TestApps.start(HealthAggregatorApplication.class, properties);
    }

    private static boolean leads(RunningApp app) {
        HttpResponse<String> info = TestHttp.get(app.url("/actuator/info"), TestTokens.READ);
        return info.statusCode() == 200 && TestHttp.json(info).at("/leadership/leader").asBoolean(false);
    }

    private static RunningApp leaderOf(List<RunningApp> pair) {
        Awaitility.await().atMost(PATIENCE).until(() -> pair.stream().filter(WatcherPairsTest::leads).count() == 1);
        return pair.stream().filter(WatcherPairsTest::leads).findFirst().orElseThrow();
    }

    private static List<String> since(int mark, String... parts) {
        return slackMessages.subList(mark, slackMessages.size()).stream()
                .filter(message -> List.of(parts).stream().allMatch(message::contains)).toList();
    }

    private static String runnerServiceStatus() {
        for (RunningApp health : healths) {
            HttpResponse<String> response = TestHttp.get(health.url("/health/services/runner-service"), TestTokens.READ);
            if (response.statusCode() == 200) {
                return TestHttp.json(response).get("status").stringValue();
            }
        }
        return "unknown";
    }

    private static void stableRunners() {
        Awaitility.await().atMost(PATIENCE).until(() -> runnerServiceStatus().equals("UP"));
        leaderOf(mls);
        leaderOf(healths);
    }

    @Test
    @Order(1)
    void aRunnerOutageIsOnePageAndOneResolveEvenWhenTheActiveMlMonitorStopsMidway() {
        stableRunners();
        int mark = slackMessages.size();

        victimRunner.close();
        Awaitility.await().atMost(PATIENCE).until(() -> !since(mark, "FIRING", "runner-service").isEmpty());

        RunningApp activeMl = leaderOf(mls);
        mls.remove(activeMl);
        activeMl.close();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> leads(mls.get(0)));

        victimRunner = runner("victim", victimPort);
        Awaitility.await().atMost(PATIENCE).until(() -> !since(mark, "RESOLVED", "runner-service").isEmpty());
        // a few more seconds for any repeat to show
        Awaitility.await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> true);

        String all = String.join("\n", slackMessages.subList(mark, slackMessages.size()));
        assertThat(since(mark, "FIRING", "runner-service")).as(all).hasSize(1);
        assertThat(since(mark, "RESOLVED", "runner-service")).as(all).hasSize(1);
        mls.add(ml());
    }

    @Test
    @Order(2)
    void watchersRestartedWhileARunnerIsDownResolveItOnceWhenItIsBack() {
        stableRunners();
        int mark = slackMessages.size();

        victimRunner.close();
        Awaitility.await().atMost(PATIENCE).until(() -> !since(mark, "FIRING", "runner-service").isEmpty());

        for (List<RunningApp> pair : List.of(healths, mls)) {
            pair.forEach(RunningApp::close);
            pair.clear();
        }
        mls.add(ml());
        healths.add(health());
        victimRunner = runner("victim", victimPort);
        Awaitility.await().atMost(PATIENCE).until(() -> !since(mark, "RESOLVED", "runner-service").isEmpty());
        Awaitility.await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> true);

        String all = String.join("\n", slackMessages.subList(mark, slackMessages.size()));
        assertThat(since(mark, "FIRING", "runner-service")).as(all).hasSize(1);
        assertThat(since(mark, "RESOLVED", "runner-service")).as(all).hasSize(1);
        mls.add(ml());
        healths.add(health());
    }

    @Test
    @Order(3)
    void withNoMlMonitorLeftTheHealthAggregatorPagesByItself() {
        stableRunners();
        int mark = slackMessages.size();

        mls.forEach(RunningApp::close);
        mls.clear();
        Awaitility.await().atMost(PATIENCE).until(() -> !since(mark, "GHOST cannot page", ML).isEmpty());

        mls.add(ml());
        Awaitility.await().atMost(PATIENCE).until(() -> !since(mark, "GHOST can page again", ML).isEmpty());
        assertThat(since(mark, "GHOST cannot page")).as("once per outage, though two health-aggregators watch").hasSize(1);
    }
}
