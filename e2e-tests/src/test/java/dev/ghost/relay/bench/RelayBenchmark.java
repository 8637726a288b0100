package dev.ghost.relay.bench;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.registry.TestRegistry;
import dev.ghost.relay.RelayApplication;
import dev.ghost.relaytest.subscriber.TestSubscriberApplication;
import dev.ghost.runner.RunnerApplication;

/**
 * bench/relay/run.sh: one process, one Redis, the real registry, two runners, the relay and a
 * subscriber that acknowledges at once. Measures (1) dedup-hit submissions straight to the runners
 * (alternating between the two, the baseline) and through the relay, same clients, same patches:
 * median and p99 latency with one client, requests/s with several, and the relay's overhead as
 * ratios; (2) events/s from POST
 * /events (batches of 500, as services' publishers send them) until the subscriber has them all.
 */
public final class RelayBenchmark {

    private static final int CLIENTS = Integer.getInteger("bench.clients", 8);
    private static final int REQUESTS = Integer.getInteger("bench.requests", 4000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 1500);
    private static final int LATENCY_REQUESTS = Integer.getInteger("bench.latency-requests", 1000);
    private static final int EVENTS = Integer.getInteger("bench.events", 50_000);
    private static final int EVENT_BATCH = 500;
    private static final int PATCHES = 20;

    private RelayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String sinkName = "bench-sink-" + run;
        Path home = Files.createTempDirectory("ghost-relay-bench");
        Map<String, String> quiet = Map.of("logging.level.root", "WARN",
                "eureka.instance.lease-renewal-interval-in-seconds", "2",
                "eureka.instance.lease-expiration-duration-in-seconds", "10");
        System.setProperty("spring.data.redis.url", RealRedisExtension.url());
        TestRegistry registry = TestRegistry.start();
        List<RunningApp> runners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Map<String, String> properties = new LinkedHashMap<>(registry.clientProperties());
            properties.putAll(quiet);
            properties.put("ghost.runner.workspaces.default", home.resolve("ws").toString());
            properties.put("ghost.runner.state-dir", home.resolve("state-" + i).toString());
            runners.add(TestApps.start(RunnerApplication.class, properties));
        }
        Map<String, String> relayProperties = new LinkedHashMap<>(registry.clientProperties());
        relayProperties.putAll(quiet);
        relayProperties.put("ghost.relay.subscribers.ml-monitor", "");
        relayProperties.put("ghost.relay.subscribers." + sinkName, "bench.*");
        RunningApp relay = TestApps.start(RelayApplication.class, relayProperties);
        Map<String, String> sinkProperties = new LinkedHashMap<>(registry.clientProperties());
        sinkProperties.putAll(quiet);
        sinkProperties.put("spring.application.name", sinkName);
        sinkProperties.put("spring.config.name", "bench-sink");
        RunningApp sink = TestApps.start(TestSubscriberApplication.class, sinkProperties);

        PrintStream out = new PrintStream(new FileOutputStream(System.getProperty("bench.out", "/dev/stdout")), true);
        try (CloseableHttpClient http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setMaxConnPerRoute(64).setMaxConnTotal(256).build())
                .build()) {
            List<String> patches = new ArrayList<>();
            for (int i = 0; i < PATCHES; i++) {
                patches.add("{\"id\":\"bench-" + run + "-" + i + "\",\"mutations\":[{\"path\":\"bench-" + i + ".txt\",\"contents\":\"x\\n\"}]}");
            }
            awaitRelayReady(http, relay, patches.get(0));
            for (String patch : patches) {
                post(http, relay.url("/relay/patches"), TestTokens.SUBMIT, patch);
            }
            IntFunction<String> direct = i -> runners.get(i % 2).url("/patches");
            IntFunction<String> relayed = i -> relay.url("/relay/patches");
            measure(http, direct, patches, WARMUP, CLIENTS);
            measure(http, relayed, patches, WARMUP, CLIENTS);
            // latency with one client (nothing queues), throughput with several (the machine saturated)
            Result straightAlone = measure(http, direct, patches, LATENCY_REQUESTS, 1);
            Result throughAlone = measure(http, relayed, patches, LATENCY_REQUESTS, 1);
            Result straight = measure(http, direct, patches, REQUESTS, CLIENTS);
            Result through = measure(http, relayed, patches, REQUESTS, CLIENTS);

            out.printf(Locale.ROOT, "%nJava %s, %d cores, %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null ? "default common pool"
                            : "ForkJoinPool.common.parallelism=" + System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism"));
            out.printf(Locale.ROOT, "dedup-hit submissions, 1 client, %d requests each way:%n", LATENCY_REQUESTS);
            report(out, straightAlone, throughAlone);
            out.printf(Locale.ROOT, "dedup-hit submissions, %d clients, %d requests each way (after %d warm-up):%n", CLIENTS, REQUESTS, WARMUP);
            report(out, straight, through);

            TestSubscriberApplication.Inbox inbox = sink.bean(TestSubscriberApplication.Inbox.class);
            events(http, relay, run, 5_000, inbox); // warm-up
            inbox.events.clear();
            double perSecond = events(http, relay, run + "-m", EVENTS, inbox);
            out.printf(Locale.ROOT, "events through the relay to a subscriber that acks at once: %d events, %.0f events/s%n%n",
                    EVENTS, perSecond);
        } finally {
            sink.close();
            relay.close();
            runners.forEach(RunningApp::close);
            registry.close();
        }
        System.exit(0);
    }

    private record Result(double perSecond, double median, double p99) {
    }

    private static void report(PrintStream out, Result straight, Result through) {
        out.printf(Locale.ROOT, "  straight to the 2 runners: %7.0f req/s  median %6.2f ms  p99 %6.2f ms%n",
                straight.perSecond(), straight.median(), straight.p99());
        out.printf(Locale.ROOT, "  through the relay:         %7.0f req/s  median %6.2f ms  p99 %6.2f ms%n",
                through.perSecond(), through.median(), through.p99());
        out.printf(Locale.ROOT, "  relay overhead: median latency x%.2f, p99 x%.2f, throughput x%.2f%n",
                through.median() / straight.median(), through.p99() / straight.p99(), straight.perSecond() / through.perSecond());
    }

    private static Result measure(CloseableHttpClient http, IntFunction<String> url, List<String> patches, int requests, int concurrency)
            throws Exception {
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            done.add(clients.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    int status = post(http, url.apply(i), TestTokens.SUBMIT, patches.get(i % patches.size()));
                    latencies[i] = System.nanoTime() - t0;
                    if (status != 200) {
                        throw new IllegalStateException("expected a dedup hit (200), got " + status);
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        clients.shutdown();
        Arrays.sort(latencies);
        return new Result(requests / seconds, latencies[requests / 2] / 1e6, latencies[(int) (requests * 0.99)] / 1e6);
    }

    private static double events(CloseableHttpClient http, RunningApp relay, String run, int count, TestSubscriberApplication.Inbox inbox)
            throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(2);
        AtomicInteger nextBatch = new AtomicInteger();
        int batches = count / EVENT_BATCH;
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            done.add(senders.submit(() -> {
                for (int b = nextBatch.getAndIncrement(); b < batches; b = nextBatch.getAndIncrement()) {
                    StringBuilder body = new StringBuilder("[");
                    for (int i = 0; i < EVENT_BATCH; i++) {
                        body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(run).append('-').append(b).append('-').append(i)
                                .append("\",\"type\":\"bench.tick\",\"source\":\"bench\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{\"n\":")
                                .append(i).append("}}");
                    }
                    int status = post(http, relay.url("/events"), TestTokens.SERVICE, body.append(']').toString());
                    if (status != 202) {
                        throw new IllegalStateException("POST /events answered " + status);
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        senders.shutdown();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (inbox.events.size() < batches * EVENT_BATCH) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + inbox.events.size() + " of " + count + " events arrived");
            }
            Thread.sleep(5);
        }
        return batches * EVENT_BATCH / ((System.nanoTime() - start) / 1e9);
    }

    private static void awaitRelayReady(CloseableHttpClient http, RunningApp relay, String patch) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                int status = post(http, relay.url("/relay/patches"), TestTokens.SUBMIT, patch);
                if (status == 202 || status == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the relay found no runner within 60 s");
    }

    private static int post(CloseableHttpClient http, String url, String token, String json) {
        HttpPost post = new HttpPost(url);
        post.setHeader("Authorization", "Bearer " + token);
        post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
        try {
            return http.execute(post, response -> {
                EntityUtils.consume(response.getEntity());
                return response.getCode();
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
