package dev.ghost.alerting.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.channel.webhook.SignedWebhookNotifier;

/**
 * A local receiver of GHOST's signed JSON webhook: checks each request's signature as a real
 * receiving end would (HMAC-SHA256 of {@code v1:<timestamp>:<body>} with the shared secret),
 * records it, and can be told to take requests about something and never answer (the client
 * times out every time, the receiver has them all).
 */
public final class WebhookStandIn implements AutoCloseable {

    public static final String SECRET = "webhook-signing-sEcReT-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One request: its payload, whether its signature was right, whether it was answered. */
    public record Received(JsonNode payload, String body, String notificationId, boolean signatureValid, boolean answered) {
    }

    private final MockWebServer server = new MockWebServer();
    private final List<Received> received = new ArrayList<>();
    private final List<String> hangAbout = new ArrayList<>();

    public WebhookStandIn() {
        StandInServer.start(server, this::answer);
    }

    public String url() {
        return server.url("/hooks/ghost").toString();
    }

    /** Requests whose body contains {@code about} are taken and never answered. */
    public synchronized void hangAfterTaking(String about) {
        hangAbout.add(about);
    }

    private MockResponse answer(RecordedRequest request) {
        byte[] body = request.getBody().readByteArray();
        String text = new String(body, StandardCharsets.UTF_8);
        String timestamp = request.getHeader(SignedWebhookNotifier.TIMESTAMP_HEADER);
        String signature = request.getHeader(SignedWebhookNotifier.SIGNATURE_HEADER);
        boolean valid = timestamp != null && signature != null
                && signature.equals(SignedWebhookNotifier.signature(SECRET.getBytes(StandardCharsets.UTF_8), timestamp, body));
        boolean hang;
        synchronized (this) {
            hang = hangAbout.stream().anyMatch(text::contains);
            received.add(new Received(JSON.readTree(text), text, request.getHeader(SignedWebhookNotifier.ID_HEADER), valid, !hang));
        }
        return hang ? new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE) : new MockResponse().setResponseCode(200);
    }

    /** Every request whose body contains {@code about}: each one is a notification that arrived. */
    public synchronized List<Received> received(String about) {
        return received.stream().filter(r -> r.body().contains(about)).toList();
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
