package dev.ghost.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/** A local server speaking Slack's incoming-webhook protocol: answers "ok" and keeps every message, in order. */
public final class SlackWebhookRecorder implements AutoCloseable {

    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final MockWebServer server = new MockWebServer();

    public SlackWebhookRecorder() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                messages.add(Instant.now() + " " + request.getBody().readUtf8());
                return new MockResponse().setBody("ok");
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A webhook URL on this server ({@code /services/T000/B000/<name>}). */
    public String webhookUrl(String name) {
        return server.url("/services/T000/B000/" + name).toString();
    }

    /** Every message so far: "<received at> <body>". */
    public List<String> messages() {
        return messages;
    }

    /** The messages from index {@code from} on that contain every part. */
    public List<String> since(int from, String... parts) {
        return messages.subList(from, messages.size()).stream()
                .filter(message -> List.of(parts).stream().allMatch(message::contains)).toList();
    }

    public List<String> containing(String... parts) {
        return since(0, parts);
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
