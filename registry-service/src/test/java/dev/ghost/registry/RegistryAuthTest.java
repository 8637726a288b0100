package dev.ghost.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ghost.common.test.TestHttp;

/** The registry refuses anonymous registrations and dashboard views, and lists authenticated ones. */
class RegistryAuthTest {

    static TestRegistry registry;

    @BeforeAll
    static void start() {
        registry = TestRegistry.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static String instance(String app, int port) {
        return """
                {"instance": {
                  "instanceId": "localhost:%1$s:%2$d", "hostName": "localhost", "app": "%1$s", "ipAddr": "127.0.0.1",
                  "status": "UP", "port": {"$": %2$d, "@enabled": "true"},
                  "dataCenterInfo": {"@class": "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", "name": "MyOwn"}
                }}""".formatted(app, port);
    }

    private static HttpRequest.Builder register(String app, int port) {
        return TestHttp.request(registry.url("/eureka/apps/" + app), null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(instance(app, port)));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anonymousRegistrationIsRefusedWithProblemJson() {
        HttpResponse<String> refused = TestHttp.send(register("INTRUDER", 9999).build());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));

        HttpResponse<String> wrongPassword = TestHttp.send(register("INTRUDER", 9999)
                .header("Authorization", basic(TestRegistry.USER, "wrong")).build());
        assertThat(wrongPassword.statusCode()).isEqualTo(401);

        HttpResponse<String> apps = TestHttp.send(TestHttp.request(registry.url("/eureka/apps"), null)
                .header("Authorization", basic(TestRegistry.USER, TestRegistry.PASSWORD))
                .header("Accept", "application/json").GET().build());
        assertThat(apps.body()).doesNotContain("INTRUDER");
    }

    @Test
    void authenticatedRegistrationAppearsInTheRegistry() {
        HttpResponse<String> accepted = TestHttp.send(register("WELCOME-SERVICE", 9998)
                .header("Authorization", basic(TestRegistry.USER, TestRegistry.PASSWORD)).build());
        assertThat(accepted.statusCode()).isEqualTo(204);

        HttpResponse<String> app = TestHttp.send(TestHttp.request(registry.url("/eureka/apps/WELCOME-SERVICE"), null)
                .header("Authorization", basic(TestRegistry.USER, TestRegistry.PASSWORD))
                .header("Accept", "application/json").GET().build());
        assertThat(app.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(app).at("/application/instance/0/instanceId").stringValue()).isEqualTo("localhost:WELCOME-SERVICE:9998");
    }

    @Test
    void dashboardNeedsCredentialsButHealthIsPublic() {
        assertThat(TestHttp.get(registry.url("/"), null).statusCode()).isEqualTo(401);
        HttpResponse<String> dashboard = TestHttp.send(TestHttp.request(registry.url("/"), null)
                .header("Authorization", basic(TestRegistry.USER, TestRegistry.PASSWORD)).GET().build());
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(TestHttp.get(registry.url("/actuator/health"), null).statusCode()).isEqualTo(200);
    }

    @Test
    void aServiceCredentialRegistersOnlyItsOwnApplicationAndAReaderOnlyReads() {
        String runner = basic("runner-service", TestRegistry.clientPassword("runner-service"));
        String ml = basic("ml-monitor", TestRegistry.clientPassword("ml-monitor"));
        String prometheus = basic("prometheus", TestRegistry.clientPassword("prometheus"));

        HttpResponse<String> impostor = TestHttp.send(register("RUNNER-SERVICE", 9997).header("Authorization", ml).build());
        assertThat(impostor.statusCode()).as(impostor.body()).isEqualTo(403);
        assertThat(impostor.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(TestHttp.send(register("RUNNER-SERVICE", 9997).header("Authorization", prometheus).build()).statusCode()).isEqualTo(403);
        assertThat(TestHttp.send(register("RUNNER-SERVICE", 9997).header("Authorization", runner).build()).statusCode()).isEqualTo(204);

        // nor may it renew or cancel another application's instances
        assertThat(TestHttp.send(register("ML-MONITOR", 9996).header("Authorization", ml).build()).statusCode()).isEqualTo(204);
        HttpRequest cancel = TestHttp.request(registry.url("/eureka/apps/ML-MONITOR/localhost:ML-MONITOR:9996"), null)
                .header("Authorization", runner).DELETE().build();
        assertThat(TestHttp.send(cancel).statusCode()).isEqualTo(403);
        HttpRequest renew = TestHttp.request(registry.url("/eureka/apps/ML-MONITOR/localhost:ML-MONITOR:9996"), null)
                .header("Authorization", runner).PUT(HttpRequest.BodyPublishers.noBody()).build();
        assertThat(TestHttp.send(renew).statusCode()).isEqualTo(403);

        for (String reader : new String[] {runner, ml, prometheus}) {
            HttpResponse<String> apps = TestHttp.send(TestHttp.request(registry.url("/eureka/apps"), null)
                    .header("Authorization", reader).header("Accept", "application/json").GET().build());
            assertThat(apps.statusCode()).isEqualTo(200);
            assertThat(apps.body()).contains("RUNNER-SERVICE", "ML-MONITOR");
        }
        // the dashboard is the administrator's
        assertThat(TestHttp.send(TestHttp.request(registry.url("/"), null).header("Authorization", runner).GET().build()).statusCode())
                .isEqualTo(403);
    }

    @Test
    void prometheusScrapesTheRegistryWithItsReaderCredentialAndOnlyThat() {
        String metrics = registry.url("/actuator/prometheus");
        HttpResponse<String> scrape = TestHttp.send(TestHttp.request(metrics, null)
                .header("Authorization", basic("prometheus", TestRegistry.clientPassword("prometheus"))).GET().build());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("jvm_memory_used_bytes");
        assertThat(TestHttp.get(metrics, null).statusCode()).isEqualTo(401);
        assertThat(TestHttp.send(TestHttp.request(metrics, null)
                .header("Authorization", basic("runner-service", TestRegistry.clientPassword("runner-service"))).GET().build())
                .statusCode()).isEqualTo(403);
    }
}
