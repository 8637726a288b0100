package dev.ghost.health.probe;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls an instance's health and Prometheus endpoints asynchronously (JDK HttpClient), each call
 * bounded by a timeout and all of them by one {@link AsyncLimiter}, so a hanging instance holds
 * one slot for at most the timeout and never a thread.
 */
public final class Prober {

    private static final String PROMETHEUS_TEXT = "text/plain;version=0.0.4;q=1,*/*;q=0.1";

    private final HttpClient client;
    private final AsyncLimiter limiter;
    private final Duration timeout;
    private final JsonMapper json = JsonMapper.builder().build();

    public Prober(HttpClient client, AsyncLimiter limiter, Duration timeout) {
        this.client = client;
        this.limiter = limiter;
        this.timeout = timeout;
    }

    /** Never completes exceptionally: an unreachable instance is a result, not an error. */
    public CompletableFuture<HealthProbe> health(Target target) {
        long started = System.nanoTime();
        HttpRequest request = request(target, target.health().toString(), "application/json");
        return limiter.submit(() -> withTimeout(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())))
                .handle((response, error) -> error != null
                        ? HealthProbe.unreachable(describe(error), millisSince(started))
                        : interpret(response, millisSince(started)));
    }

    /** The instance's metrics; never completes exceptionally. */
    public CompletableFuture<Scrape> metrics(Target target) {
        HttpRequest request = request(target, target.metrics().toString(), PROMETHEUS_TEXT);
        return limiter.submit(() -> withTimeout(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())))
                .handle((response, error) -> error != null ? Scrape.failed() : Scrape.of(response.statusCode(), response.body()));
    }

    private HttpRequest request(Target target, String url, String accept) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(java.net.URI.create(url)).timeout(timeout)
                .header("Accept", accept).GET();
        if (target.authorization() != null) {
            builder.header("Authorization", target.authorization());
        }
        return builder.build();
    }

    /** The request timeout covers the wait for headers; this also bounds a body that trickles in. */
    private <T> CompletableFuture<T> withTimeout(CompletableFuture<T> call) {
        return call.orTimeout(timeout.toMillis() + 250, TimeUnit.MILLISECONDS).whenComplete((value, error) -> {
            if (error != null) {
                call.cancel(true);
            }
        });
    }

    HealthProbe interpret(HttpResponse<String> response, long latencyMs) {
        int code = response.statusCode();
        String reported = null;
        Map<String, String> components = new LinkedHashMap<>();
        JsonNode body = parse(response);
        if (body != null) {
            JsonNode status = body.get("status");
            reported = status != null && status.isString() ? status.stringValue() : null;
            JsonNode parts = body.get("components");
            if (parts != null && parts.isObject()) {
                for (String name : parts.propertyNames()) {
                    JsonNode part = parts.get(name).get("status");
                    if (part != null && part.isString()) {
                        components.put(name, part.stringValue());
                    }
                }
            }
        }
        if (code >= 200 && code < 300) {
            boolean up = reported == null || !(reported.equals("DOWN") || reported.equals("OUT_OF_SERVICE"));
            return new HealthProbe(up, code, reported, up ? null : reason(reported, components), latencyMs, components);
        }
        if (code == 401 || code == 403 || code == 404) {
            // It answered over HTTP; only its health page is closed or missing. Alive, nothing more to say.
            return new HealthProbe(true, code, reported, null, latencyMs, components);
        }
        return new HealthProbe(false, code, reported,
                reported != null ? reason(reported, components) : "health answered HTTP " + code, latencyMs, components);
    }

    private JsonNode parse(HttpResponse<String> response) {
        String body = response.body();
        if (body == null || body.isEmpty() || body.charAt(0) != '{') {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String reason(String reported, Map<String, String> components) {
        StringBuilder reason = new StringBuilder("health ").append(reported);
        String down = components.entrySet().stream().filter(c -> !c.getValue().equals("UP"))
                .map(c -> c.getKey() + " " + c.getValue()).reduce((a, b) -> a + ", " + b).orElse(null);
        if (down != null) {
            reason.append(": ").append(down);
        }
        return reason.toString();
    }

    static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause.getClass() == java.util.concurrent.ExecutionException.class)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return "timed out";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof java.util.concurrent.CancellationException) {
            return "cancelled";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
