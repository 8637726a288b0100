package dev.ghost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

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
import dev.ghost.e2e.support.GhostServices;
import dev.ghost.e2e.support.SlackWebhookRecorder;
import dev.ghost.health.HealthAggregatorApplication;
import dev.ghost.registry.TestRegistry;
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

    static SlackWebhookRecorder slack;
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
        slack = new SlackWebhookRecorder();
        home = Files.createTempDirectory("ghost-pairs");
        registry = TestRegistry.start();
        steadyRunner = runner("steady", TestApps.freePort());
        victimPort = TestApps.freePort();
        victimRunner = runner("victim", victimPort);

        Map<String, String> relayProperties = discovery();
        relayProperties.put("ghost.relay.events.max-backoff", "2s");
        relay = GhostServices.relayFor(relayProperties, ML, "patch.*,health.*");

        mls.add(ml());
        mls.add(ml());
        healths.add(health());
        healths.add(health());
    }

    @AfterAll
    static void stopTheStack() {
        List<AutoCloseable> parts = new ArrayList<>(healths);
        parts.addAll(mls);
        parts.addAll(Arrays.asList(relay, victimRunner, steadyRunner, registry, slack));
        GhostServices.closeAll(parts);
    }

    private static Map<String, String> discovery() {
        return GhostServices.discovery(registry);
    }

    /** A member of a pair: elections on, handing over within a 3 s lease. */
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
        return GhostServices.startMlMonitor(GhostServices.mlMonitor(pairMember(ML), ML, "pairs-" + RUN, slack.webhookUrl("pairs")));
    }

    private static RunningApp health() {
        Map<String, String> properties = pairMember(HEALTH);
        properties.put("ghost.health.namespace", "pairs-" + RUN);
        properties.put("ghost.health.interval", "2s");
        properties.put("ghost.health.watchdog.service", ML);
        properties.put("ghost.health.watchdog.after", "4s");
        properties.put("ghost.health.watchdog.webhook-url", slack.webhookUrl("watchdog"));
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
        return slack.since(mark, parts);
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

    /** Kills the victim runner once the stack is steady and its outage is paged; returns where its messages start. */
    private static int aRunnerOutageIsPaged() {
        stableRunners();
        int mark = slack.messages().size();
        victimRunner.close();
        Awaitility.await().atMost(PATIENCE).until(() -> !since(mark, "FIRING", "runner-service").isEmpty());
        return mark;
    }

    /** Starts the victim again: its outage resolves, and was paged exactly once and resolved exactly once. */
    private static void itEndsWithOnePageAndOneResolve(int mark) {
        victimRunner = runner("victim", victimPort);
        Awaitility.await().atMost(PATIENCE).until(() -> !since(mark, "RESOLVED", "runner-service").isEmpty());
        // a few more seconds for any repeat to show
        Awaitility.await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> true);

        String all = String.join("\n", slack.since(mark));
        assertThat(since(mark, "FIRING", "runner-service")).as(all).hasSize(1);
        assertThat(since(mark, "RESOLVED", "runner-service")).as(all).hasSize(1);
    }

    @Test
    @Order(1)
    void aRunnerOutageIsOnePageAndOneResolveEvenWhenTheActiveMlMonitorStopsMidway() {
        int mark = aRunnerOutageIsPaged();

        RunningApp activeMl = leaderOf(mls);
        mls.remove(activeMl);
        activeMl.close();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> leads(mls.get(0)));

        itEndsWithOnePageAndOneResolve(mark);
        mls.add(ml());
    }

    @Test
    @Order(2)
    void watchersRestartedWhileARunnerIsDownResolveItOnceWhenItIsBack() {
        int mark = aRunnerOutageIsPaged();

        for (List<RunningApp> pair : List.of(healths, mls)) {
            pair.forEach(RunningApp::close);
            pair.clear();
        }
        mls.add(ml());
        healths.add(health());

        itEndsWithOnePageAndOneResolve(mark);
        mls.add(ml());
        healths.add(health());
    }

    @Test
    @Order(3)
    void withNoMlMonitorLeftTheHealthAggregatorPagesByItself() {
        stableRunners();
        int mark = slack.messages().size();

        mls.forEach(RunningApp::close);
        mls.clear();
        Awaitility.await().atMost(PATIENCE).until(() -> !since(mark, "GHOST cannot page", ML).isEmpty());

        mls.add(ml());
        Awaitility.await().atMost(PATIENCE).until(() -> !since(mark, "GHOST can page again", ML).isEmpty());
        assertThat(since(mark, "GHOST cannot page")).as("once per outage, though two health-aggregators watch").hasSize(1);
    }
}
