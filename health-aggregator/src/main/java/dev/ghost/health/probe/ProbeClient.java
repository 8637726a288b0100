package dev.ghost.health.probe;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP client probes go through: HTTP/1.1 (no h2c upgrade dance on every call), keep-alive
 * connections reused across rounds, and two threads of its own for completions. Its own
 * executor matters on Java 17 on a 2-core machine: the client's default completes on the common
 * pool, whose single worker makes CompletableFuture start a new thread per task (see STACK.md).
 */
public final class ProbeClient {

    private ProbeClient() {
    }

    public static HttpClient create(Duration connectTimeout, ExecutorService executor) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    public static ExecutorService executor() {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "health-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
