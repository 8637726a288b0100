package dev.ghost.ops;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator reaches in every service without reading code: the version and commit at
 * {@code /actuator/info} (strangers: name and version only), the liveness and readiness probes,
 * and the API description in a browser, with its credentials declared.
 */
@ExtendWith(RealRedisExtension.class)
class OperabilityTest {

    static OpsStack stack;

    @BeforeAll
    static void start() {
        stack = OpsStack.get();
    }

    @Test
    void infoTellsStrangersTheVersionAndReadersTheCommitToo() {
        for (Map.Entry<String, RunningApp> service : stack.services().entrySet()) {
            JsonNode anonymous = TestHttp.json(TestHttp.get(service.getValue().url("/actuator/info"), null));
            assertThat(anonymous.propertyNames()).as(service.getKey()).containsExactly("build");
            assertThat(anonymous.get("build").propertyNames()).as(service.getKey()).containsExactlyInAnyOrder("name", "version");
            assertThat(anonymous.get("build").get("version").stringValue()).isNotBlank();

            JsonNode reader = TestHttp.json(TestHttp.get(service.getValue().url("/actuator/info"), TestTokens.READ));
            assertThat(reader.get("git").get("commit").get("id").stringValue()).as(service.getKey()).isNotBlank();
            assertThat(reader.has("java")).as(service.getKey()).isTrue();
        }
    }

    @Test
    void livenessAndReadinessAreProbesAnyoneMayAsk() {
        for (Map.Entry<String, RunningApp> service : stack.services().entrySet()) {
            for (String probe : new String[] {"/actuator/health/liveness", "/actuator/health/readiness"}) {
                HttpResponse<String> answer = TestHttp.get(service.getValue().url(probe), null);
                assertThat(answer.statusCode()).as(service.getKey() + probe).isEqualTo(200);
                assertThat(TestHttp.json(answer).get("status").stringValue()).isEqualTo("UP");
            }
        }
    }

    @Test
    void theApiDescriptionIsReadableInABrowserAndDeclaresTheCredentials() {
        for (Map.Entry<String, RunningApp> service : stack.services().entrySet()) {
            HttpResponse<String> page = TestHttp.get(service.getValue().url("/swagger-ui/index.html"), null);
            assertThat(page.statusCode()).as(service.getKey()).isEqualTo(200);
            assertThat(page.body()).contains("swagger-ui");
            JsonNode api = TestHttp.json(TestHttp.get(service.getValue().url("/v3/api-docs"), null));
            JsonNode schemes = api.get("components").get("securitySchemes");
            assertThat(schemes.get("bearer").get("scheme").stringValue()).as(service.getKey()).isEqualTo("bearer");
            assertThat(schemes.get("session").get("name").stringValue()).isEqualTo("X-Auth-Token");
            assertThat(api.get("security").toString()).contains("bearer").contains("session");
            assertThat(TestHttp.get(service.getValue().url("/auth/me"), null).statusCode()).as("the API itself still needs a credential")
                    .isEqualTo(401);
        }
        assertThat(TestHttp.get(stack.ml.url("/swagger-ui.html"), null).statusCode()).isIn(200, 302);
    }
}
