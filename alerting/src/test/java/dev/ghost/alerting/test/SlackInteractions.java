package dev.ghost.alerting.test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.json.JsonMapper;

/**
 * What Slack sends when someone clicks a button of a message: a {@code block_actions} interaction
 * payload, form-encoded ({@code payload=<json>}), signed as Slack signs requests
 * ({@code X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">} under the app's
 * signing secret, {@code X-Slack-Request-Timestamp}), with a fresh {@code response_url} on the
 * {@link SlackStandIn}. Can also send it unsigned, badly signed or late, as an attacker would.
 */
public final class SlackInteractions {

    public static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5-ghost-test";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final SlackStandIn slack;
    private final String url;
    private final String signingSecret;

    /** @param url where the app takes interactions (its Request URL in Slack's app settings) */
    public SlackInteractions(SlackStandIn slack, String url, String signingSecret) {
        this.slack = slack;
        this.url = url;
        this.signingSecret = signingSecret;
    }

    /** A click on {@code button} of {@code message} by Slack user {@code userId}, as the form body Slack posts. */
    public String body(SlackStandIn.Received message, SlackStandIn.Button button, String userId) {
        String ts = message.ts();
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("type", "button");
        action.put("action_id", button.actionId());
        action.put("block_id", button.blockId());
        action.put("text", Map.of("type", "plain_text", "text", button.label(), "emoji", true));
        if (button.value() != null) {
            action.put("value", button.value());
        }
        action.put("action_ts", String.valueOf(System.currentTimeMillis() / 1000.0));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "block_actions");
        payload.put("user", Map.of("id", userId, "username", userId.toLowerCase(), "team_id", "T0GHOST"));
        payload.put("api_app_id", "A0GHOST");
        payload.put("token", "legacy-verification-token-unused");
        payload.put("container", Map.of("type", "message", "message_ts", ts == null ? "" : ts, "channel_id", "C0ALERTS",
                "is_ephemeral", false));
        payload.put("trigger_id", System.nanoTime() + ".1234.abcdef");
        payload.put("team", Map.of("id", "T0GHOST", "domain", "ghost"));
        payload.put("channel", Map.of("id", "C0ALERTS", "name", "oncall"));
        payload.put("message", Map.of("type", "message", "ts", ts == null ? "" : ts, "text", message.text()));
        payload.put("response_url", slack.newResponseUrl());
        payload.put("actions", List.of(action));
        return "payload=" + URLEncoder.encode(JSON.writeValueAsString(payload), StandardCharsets.UTF_8);
    }

    /** The click, signed now with the right secret. */
    public HttpResponse<String> click(SlackStandIn.Received message, SlackStandIn.Button button, String userId) {
        String body = body(message, button, userId);
        long now = Instant.now().getEpochSecond();
        return send(body, String.valueOf(now), sign(signingSecret, String.valueOf(now), body));
    }

    /** Any body with any timestamp and signature headers (null: header left out). */
    public HttpResponse<String> send(String body, String timestamp, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (timestamp != null) {
            request.header("X-Slack-Request-Timestamp", timestamp);
        }
        if (signature != null) {
            request.header("X-Slack-Signature", signature);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Slack's v0 signature of {@code body} at {@code timestamp} under {@code secret}. */
    public static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
