package dev.ghost.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.registry.TestRegistry;

/**
 * What the relay sends a runner: its own SERVICE credential and the caller's identity, never the
 * caller's token. A stand-in runner, registered in Eureka with the runner's credential as any
 * runner is, records the headers of what reaches it.
 */
@ExtendWith(RealRedisExtension.class)
class RelayCredentialsTest {

    @Test
    void theRelayNeverSendsACallersTokenToARunner() throws Exception {
        RelayStack.start();
        List<RecordedRequest> received = new CopyOnWriteArrayList<>();
        try (MockWebServer standIn = new MockWebServer()) {
            standIn.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    if (request.getPath().startsWith("/actuator/health")) {
                        return new MockResponse().setHeader("Content-Type", "application/json").setBody("{\"status\":\"UP\"}");
                    }
                    received.add(request);
                    return new MockResponse().setResponseCode(202).setHeader("Content-Type", "application/json")
                            .setBody("{\"id\":\"stand-in\",\"status\":\"QUEUED\",\"runner\":\"stand-in\"}");
                }
            });
            standIn.start();
            String instanceId = "127.0.0.1:runner-service:" + standIn.getPort();
            String registration = RelayStack.registry().url("/eureka/apps/RUNNER-SERVICE");
            String runnerCredential = "Basic " + Base64.getEncoder().encodeToString(
                    ("runner-service:" + TestRegistry.clientPassword("runner-service")).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> registered = TestHttp.send(TestHttp.request(registration, null)
                    .header("Authorization", runnerCredential).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"instance":{"instanceId":"%1$s","hostName":"127.0.0.1","app":"RUNNER-SERVICE","ipAddr":"127.0.0.1",
                             "status":"UP","port":{"$":%2$d,"@enabled":"true"},"securePort":{"$":443,"@enabled":"false"},
                             "healthCheckUrl":"http://127.0.0.1:%2$d/actuator/health","vipAddress":"runner-service",
                             "dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"},
                             "leaseInfo":{"renewalIntervalInSecs":30,"durationInSecs":90}}}
                            """.formatted(instanceId, standIn.getPort()))).build());
            assertThat(registered.statusCode()).isEqualTo(204);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> RelayStack.rotation().contains(instanceId));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    PatchProxyTest.submit(PatchProxyTest.patch("credentials-" + System.nanoTime(), "t06", "true"), TestTokens.SUBMIT);
                    return !received.isEmpty();
                });
            } finally {
                TestHttp.send(TestHttp.request(registration + "/" + instanceId, null).header("Authorization", runnerCredential)
                        .DELETE().build());
            }
            RecordedRequest submission = received.get(0);
            assertThat(submission.getHeader("Authorization")).isEqualTo("Bearer " + TestTokens.SERVICE);
            assertThat(submission.getHeaders().toString()).doesNotContain(TestTokens.SUBMIT);
            assertThat(submission.getHeader("X-Ghost-Caller")).isEqualTo("submitter");
            assertThat(submission.getHeader("X-Ghost-Caller-Roles")).contains("SUBMIT");
            await().atMost(Duration.ofSeconds(60)).until(() -> !RelayStack.rotation().contains(instanceId));
        }
    }
}
