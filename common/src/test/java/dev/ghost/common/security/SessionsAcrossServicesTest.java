package dev.ghost.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.sample.SampleServiceApplication;

/** Two services, one Redis: a session opened at one is honoured at the other, and closed everywhere. */
@ExtendWith(RealRedisExtension.class)
class SessionsAcrossServicesTest {

    static RunningApp first;
    static RunningApp second;

    @BeforeAll
    static void start() {
        first = TestApps.start(SampleServiceApplication.class, Map.of("spring.application.name", "first"));
        second = TestApps.start(SampleServiceApplication.class, Map.of("spring.application.name", "second"));
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
    }

    @Test
    void sessionOpenedAtOneServiceIsAcceptedAtAnotherUntilClosed() {
        HttpResponse<String> opened = TestHttp.post(first.url("/auth/session"), TestTokens.SUBMIT, "");
        assertThat(opened.statusCode()).isEqualTo(201);
        String session = TestHttp.json(opened).get("token").stringValue();
        assertThat(opened.headers().firstValue("X-Auth-Token")).contains(session);

        HttpResponse<String> atSecond = TestHttp.send(TestHttp.request(second.url("/whoami"), null)
                .header("X-Auth-Token", session).GET().build());
        assertThat(atSecond.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(atSecond).get("principal").stringValue()).isEqualTo("submitter");

        HttpResponse<String> closed = TestHttp.send(TestHttp.request(second.url("/auth/session"), null)
                .header("X-Auth-Token", session).DELETE().build());
        assertThat(closed.statusCode()).isEqualTo(204);

        for (RunningApp app : new RunningApp[] {first, second}) {
            HttpResponse<String> refused = TestHttp.send(TestHttp.request(app.url("/whoami"), null)
                    .header("X-Auth-Token", session).GET().build());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(TestHttp.json(refused).get("type").stringValue()).isEqualTo("urn:ghost:problem:session-expired");
        }
    }

    @Test
    void wrongTokenGets401ProblemJson() {
        HttpResponse<String> response = TestHttp.get(first.url("/whoami"), "not-a-real-token-at-all");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = TestHttp.json(response);
        assertThat(problem.get("type").stringValue()).isEqualTo("urn:ghost:problem:invalid-token");
        assertThat(problem.get("status").intValue()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.ghost");
    }

    @Test
    void missingCredentialIs401AndWrongRoleIs403() {
        assertThat(TestHttp.get(first.url("/whoami"), null).statusCode()).isEqualTo(401);
        assertThat(TestHttp.get(first.url("/actuator/prometheus"), null).statusCode()).isEqualTo(401);
        HttpResponse<String> forbidden = TestHttp.get(first.url("/admin-only"), TestTokens.READ);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(TestHttp.json(forbidden).get("type").stringValue()).isEqualTo("urn:ghost:problem:forbidden");
        assertThat(TestHttp.get(first.url("/admin-only"), TestTokens.ADMIN).statusCode()).isEqualTo(200);
    }

    @Test
    void healthAndInfoArePublicAndHealthIncludesRedis() {
        HttpResponse<String> health = TestHttp.get(first.url("/actuator/health"), null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(health).at("/components/redis/status").stringValue()).isEqualTo("UP");
        assertThat(TestHttp.get(first.url("/actuator/info"), null).statusCode()).isEqualTo(200);
        assertThat(TestHttp.get(first.url("/actuator/env"), TestTokens.ADMIN).statusCode()).isEqualTo(404);
    }

    @Test
    void adminIssuesTokensThatWorkAtEveryServiceUntilRevoked() {
        HttpResponse<String> issued = TestHttp.post(first.url("/auth/tokens"), TestTokens.ADMIN,
                "{\"name\":\"ci-bot\",\"roles\":[\"SUBMIT\"]}");
        assertThat(issued.statusCode()).isEqualTo(201);
        String token = TestHttp.json(issued).get("token").stringValue();
        String id = TestHttp.json(issued).at("/details/id").stringValue();

        HttpResponse<String> me = TestHttp.get(second.url("/auth/me"), token);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(me).get("principal").stringValue()).isEqualTo("ci-bot");
        assertThat(TestHttp.get(first.url("/auth/tokens"), TestTokens.ADMIN).body()).contains("ci-bot").doesNotContain(token);
        assertThat(TestHttp.post(first.url("/auth/tokens"), TestTokens.SUBMIT, "{\"name\":\"x\",\"roles\":[\"ADMIN\"]}")
                .statusCode()).isEqualTo(403);

        assertThat(TestHttp.delete(first.url("/auth/tokens/" + id), TestTokens.ADMIN).statusCode()).isEqualTo(204);
        // The other service may serve the revoked token from its 5-second cache, never longer.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(8))
                .until(() -> TestHttp.get(second.url("/auth/me"), token).statusCode() == 401);
    }

    @Test
    void invalidTokenRequestListsEveryViolation() {
        HttpResponse<String> response = TestHttp.post(first.url("/auth/tokens"), TestTokens.ADMIN, "{\"name\":\"\",\"roles\":[]}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(response).get("violations")).hasSize(2);
    }

    @Test
    void aTokenHashWrittenStraightIntoRedisDoesNotAuthenticate() {
        String forged = "forged-token-" + java.util.UUID.randomUUID();
        StringRedisTemplate redis = first.bean(StringRedisTemplate.class);
        // what a writer to Redis could plant: the record of an ADMIN token under the token's bare SHA-256
        redis.opsForHash().put(dev.ghost.common.redis.RedisKeys.API_TOKENS, dev.ghost.common.patch.CanonicalJson.sha256Hex(forged),
                "{\"id\":\"forged\",\"name\":\"mallory\",\"roles\":[\"ADMIN\"],\"createdAt\":\"2026-01-01T00:00:00Z\",\"createdBy\":\"mallory\"}");
        assertThat(TestHttp.get(second.url("/auth/me"), forged).statusCode()).isEqualTo(401);
    }

    @Test
    void aJavaSerializedSessionPlantedInRedisIsRejectedNotDeserialized() throws Exception {
        String id = java.util.UUID.randomUUID().toString();
        StringRedisTemplate redis = first.bean(StringRedisTemplate.class);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            org.springframework.security.core.context.SecurityContextImpl context = new org.springframework.security.core.context.SecurityContextImpl(
                    new GhostAuthentication(new GhostPrincipal("mallory", java.util.EnumSet.of(Role.ADMIN))));
            out.writeObject(context);
        }
        java.io.ByteArrayOutputStream time = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(time)) {
            out.writeObject(System.currentTimeMillis());
        }
        java.io.ByteArrayOutputStream interval = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(interval)) {
            out.writeObject(3600);
        }
        byte[] key = ("ghost:session:sessions:" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        redis.execute((org.springframework.data.redis.core.RedisCallback<Object>) connection -> {
            connection.hashCommands().hSet(key, "sessionAttr:SPRING_SECURITY_CONTEXT".getBytes(), bytes.toByteArray());
            connection.hashCommands().hSet(key, "creationTime".getBytes(), time.toByteArray());
            connection.hashCommands().hSet(key, "lastAccessedTime".getBytes(), time.toByteArray());
            connection.hashCommands().hSet(key, "maxInactiveInterval".getBytes(), interval.toByteArray());
            return null;
        });
        HttpResponse<String> refused = TestHttp.send(TestHttp.request(second.url("/auth/me"), null)
                .header("X-Auth-Token", id).GET().build());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
    }

    @Test
    void revokingATokenEndsTheSessionsOpenedWithIt() {
        HttpResponse<String> issued = TestHttp.post(first.url("/auth/tokens"), TestTokens.ADMIN,
                "{\"name\":\"session-bot\",\"roles\":[\"READ\"]}");
        String token = TestHttp.json(issued).get("token").stringValue();
        String id = TestHttp.json(issued).at("/details/id").stringValue();
        String session = TestHttp.json(TestHttp.post(first.url("/auth/session"), token, "")).get("token").stringValue();
        HttpRequest me = TestHttp.request(second.url("/auth/me"), null).header("X-Auth-Token", session).GET().build();
        assertThat(TestHttp.send(me).statusCode()).isEqualTo(200);

        assertThat(TestHttp.delete(first.url("/auth/tokens/" + id), TestTokens.ADMIN).statusCode()).isEqualTo(204);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(8))
                .until(() -> TestHttp.send(me).statusCode() == 401);
    }

    @Test
    void openingASessionAlwaysIssuesANewId() {
        String session = TestHttp.json(TestHttp.post(first.url("/auth/session"), TestTokens.SUBMIT, "")).get("token").stringValue();
        HttpResponse<String> again = TestHttp.send(TestHttp.request(first.url("/auth/session"), TestTokens.SUBMIT)
                .header("X-Auth-Token", session).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(TestHttp.json(again).get("token").stringValue()).isNotEqualTo(session);
        assertThat(TestHttp.send(TestHttp.request(first.url("/auth/me"), null).header("X-Auth-Token", session).GET().build())
                .statusCode()).as("the session the request came with is closed").isEqualTo(401);
    }
}
