package dev.ghost.alerting.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/** Starts the MockWebServer behind a stand-in, every request answered by {@code answer}. */
final class StandInServer {

    private StandInServer() {
    }

    static MockWebServer start(MockWebServer server, Function<RecordedRequest, MockResponse> answer) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer.apply(request);
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return server;
    }
}
