package dev.ghost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.registry.TestRegistry;
import dev.ghost.relay.RelayApplication;
import dev.ghost.runner.RunnerApplication;

/**
 * Two registries as Eureka peers, every service listing both: one is killed, and a runner started
 * afterwards still registers (with the other) and receives patches through the relay.
 */
@ExtendWith(RealRedisExtension.class)
class RegistryPeersTest {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String TARGET = "peers-" + RUN;
    static List<TestRegistry> registries;
    static Path home;
    static RunningApp first;
    static RunningApp second;
    static RunningApp relay;

    @BeforeAll
    static void start() throws IOException {
        home = Files.createTempDirectory("ghost-peers");
        registries = TestRegistry.startPeers(2);
        first = runner("first");
        relay = TestApps.start(RelayApplication.class, discovery());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable part : new AutoCloseable[] {relay, second, first, registries.get(1), registries.get(0)}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                // stopping everything anyway
            }
        }
    }

    private static Map<String, String> discovery() {
        Map<String, String> properties = new HashMap<>(TestRegistry.clientProperties(registries));
        properties.put("eureka.instance.lease-renewal-interval-in-seconds", "2");
        properties.put("eureka.instance.lease-expiration-duration-in-seconds", "10");
        properties.put("spring.cloud.loadbalancer.cache.ttl", "1s");
        return properties;
    }

    private static RunningApp runner(String name) {
        Map<String, String> properties = discovery();
        properties.put("ghost.runner.workspaces." + TARGET, home.resolve("workspace-" + name).toString());
        properties.put("ghost.runner.state-dir", home.resolve("state-" + name).toString());
        return TestApps.start(RunnerApplication.class, properties);
    }

    private static List<String> rotation() {
        HttpResponse<String> response = TestHttp.get(relay.url("/relay/runners"), TestTokens.READ);
        return response.statusCode() == 200 ? TestHttp.json(response).findValuesAsString("instanceId") : List.of();
    }

    private static String apps(TestRegistry registry) {
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (TestRegistry.USER + ":" + TestRegistry.PASSWORD).getBytes(StandardCharsets.UTF_8));
        return TestHttp.send(TestHttp.request(registry.url("/eureka/apps"), null).header("Authorization", basic)
                .header("Accept", "application/json").GET().build()).body();
    }

    @Test
    void withOneRegistryKilledANewRunnerStillRegistersAndReceivesPatches() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> rotation().size() == 1);
        // each registration reached both peers
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                apps(registries.get(0)).contains("RUNNER-SERVICE") && apps(registries.get(1)).contains("RUNNER-SERVICE"));

        registries.get(0).close();
        second = runner("second");
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> rotation().size() == 2);
        String secondId = rotation().stream().filter(id -> id.endsWith(":" + second.port())).findFirst().orElseThrow();

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            String id = "peers-" + RUN + "-" + UUID.randomUUID().toString().substring(0, 6);
            HttpResponse<String> accepted = TestHttp.post(relay.url("/relay/patches"), TestTokens.SUBMIT,
                    "{\"id\":\"" + id + "\",\"target\":\"" + TARGET + "\",\"validate\":{\"shell\":[\"true\"]}}");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            return secondId.equals(TestHttp.json(accepted).path("runner").stringValue());
        });
    }
}
