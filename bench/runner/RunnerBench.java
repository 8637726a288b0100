import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for bench/runner/run.sh (JDK only: java RunnerBench.java BASE_URL TOKEN).
 * Measures, against one running runner:
 *   sandbox    /bin/sh -c true launched in the sandbox as the runner launches it (BENCH_FLOOR_SERVER), alternated
 *              with the latency patches below: the floor a patch's overhead is measured over
 *   floor      /bin/sh -c true started from Java (ProcessBuilder, as the runner does), median and p99
 *   latency    submit -> end of GET /patches/{id}/log?follow=true (the runner ends it when the patch ends) for a
 *              trivial patch (one `true`), median and p99; the status is then checked to be SUCCEEDED
 *   dedup      accepted submissions/s of an already known patch (200 + Ghost-Dedup: hit)
 *   new        accepted submissions/s of new trivial patches (202)
 *   long       time per mutation step of a patch of BENCH_LONG_STEPS (25,000) files against one a tenth as long:
 *              the same when writing a step to the record costs the same at step 20,000 as at step 1
 * The client is the JDK's; for dedup throughput that saturates the runner use bench/runner/dedup.sh (wrk).
 */
public class RunnerBench {

    static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z_]+)\"");
    static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static String base;
    static String token;
    static String run = Long.toString(System.currentTimeMillis(), 36);

    /** CPU time (user + system) the runner's process has used so far, in ms; load-independent, unlike wall time. */
    static long runnerPid;

    static double cpuMillis() throws Exception {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + runnerPid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000.0 / 100; // USER_HZ is 100 on Linux
    }

    public static void main(String[] args) throws Exception {
        base = args[0];
        token = args[1];
        runnerPid = Long.parseLong(args[2]);
        int clients = Integer.parseInt(System.getenv().getOrDefault("BENCH_CLIENTS", "8"));
        double seconds = Double.parseDouble(System.getenv().getOrDefault("BENCH_SECONDS", "10"));
        int samples = Integer.parseInt(System.getenv().getOrDefault("BENCH_SAMPLES", "300"));
        int warmup = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP", "2000"));

        List<Double> floor = new ArrayList<>();
        for (int i = 0; i < samples + 100; i++) {
            long begin = System.nanoTime();
            Process process = new ProcessBuilder("/bin/sh", "-c", "true").start();
            process.waitFor();
            if (i >= 100) {
                floor.add((System.nanoTime() - begin) / 1e6);
            }
        }

        SandboxFloor sandbox = SandboxFloor.start(System.getenv("BENCH_FLOOR_SERVER"));
        // warm up the runner's JIT with the same kind of work: a service is measured in its steady state
        for (int i = 0; i < warmup; i++) {
            endToEnd("warm-" + i);
            sandbox.launch();
        }
        List<Double> latency = new ArrayList<>();
        List<Double> sandboxFloor = new ArrayList<>();
        List<Double> overhead = new ArrayList<>();
        double cpuBefore = cpuMillis();
        for (int i = 0; i < samples; i++) {
            double patch = endToEnd("lat-" + i);
            double launch = sandbox.launch(); // alternated, so that both see the same machine
            latency.add(patch);
            sandboxFloor.add(launch);
            overhead.add(patch - launch);
        }
        double cpuPerPatch = (cpuMillis() - cpuBefore) / samples;
        sandbox.close();

        // before the throughput phases: the new patches they queue would run ahead of these
        int longSteps = Integer.parseInt(System.getenv().getOrDefault("BENCH_LONG_STEPS", "25000"));
        double shortPerStep = millisPerStep("short", longSteps / 10);
        double longPerStep = millisPerStep("long", longSteps);

        String known = body("dedup", "true");
        send(known);
        for (int i = 0; i < 5 * warmup; i++) {
            send(known); // warm-up of the dedup path
        }
        cpuBefore = cpuMillis();
        long before = COUNT.get();
        double dedup = throughput(clients, seconds, n -> known, 200);
        double cpuPerDedup = (cpuMillis() - cpuBefore) / (COUNT.get() - before);
        cpuBefore = cpuMillis();
        before = COUNT.get();
        double fresh = throughput(clients, seconds, n -> body("new-" + n, "true"), 202);
        double cpuPerNew = (cpuMillis() - cpuBefore) / (COUNT.get() - before);

        double floorMedian = percentile(floor, 50);
        double latencyMedian = percentile(latency, 50);
        System.out.printf(Locale.ROOT, "floor   /bin/sh -c true from Java: median %.2f ms, p99 %.2f ms (%d runs)%n",
                floorMedian, percentile(floor, 99), floor.size());
        System.out.printf(Locale.ROOT, "latency submit->SUCCEEDED (end of the followed log): median %.2f ms, p99 %.2f ms (%d patches)%n",
                latencyMedian, percentile(latency, 99), latency.size());
        System.out.printf(Locale.ROOT, "        ratio to floor: median %.1fx, p99 %.1fx; overhead over the floor: median %.2f ms, p99 %.2f ms%n",
                latencyMedian / floorMedian, percentile(latency, 99) / percentile(floor, 99),
                latencyMedian - floorMedian, percentile(latency, 99) - percentile(floor, 99));
        System.out.printf(Locale.ROOT, "        per step, %,d steps against %,d: %.2fx%n", longSteps, longSteps / 10, longPerStep / shortPerStep);
        System.out.printf(Locale.ROOT, "        over the sandboxed floor (/bin/sh -c true in the sandbox, alternated with the patches: median %.2f ms,"
                        + " p99 %.2f ms): overhead median %.2f ms (%.2fx); median of the per-pair differences %.2f ms%n",
                percentile(sandboxFloor, 50), percentile(sandboxFloor, 99), latencyMedian - percentile(sandboxFloor, 50),
                latencyMedian / percentile(sandboxFloor, 50), percentile(overhead, 50));
        System.out.printf(Locale.ROOT, "        runner CPU per trivial patch (submit, run, followed log, one read): %.2f ms%n", cpuPerPatch);
        System.out.printf(Locale.ROOT, "dedup   %.0f submissions/s (200 + Ghost-Dedup: hit), %d clients, %.0f s; runner CPU %.2f ms per submission%n",
                dedup, clients, seconds, cpuPerDedup);
        System.out.printf(Locale.ROOT, "new     %.0f submissions/s (202, trivial patches queued), %d clients, %.0f s; runner CPU %.2f ms per submission"
                + " (queued patches also run meanwhile)%n", fresh, clients, seconds, cpuPerNew);
    }

    /** Submit to end of the followed log of a patch of {@code steps} one-file mutations (parse, steps, commit), per step. */
    static double millisPerStep(String name, int steps) throws Exception {
        String id = "bench-" + run + "-" + name;
        StringBuilder json = new StringBuilder("{\"id\":\"" + id + "\",\"mutations\":[");
        for (int i = 0; i < steps; i++) {
            json.append(i == 0 ? "" : ",").append("{\"path\":\"").append(name).append('/').append(i / 1000).append('/')
                    .append(i).append("\",\"contents\":\"x\"}");
        }
        long begin = System.nanoTime();
        HttpResponse<String> accepted = send(json.append("]}").toString());
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("long patch answered " + accepted.statusCode() + ": " + accepted.body());
        }
        follow(id);
        double millis = (System.nanoTime() - begin) / 1e6;
        requireSucceeded(id);
        System.out.printf(Locale.ROOT, "long    %,d mutation steps: %.0f ms from submit to end, %.3f ms per step%n", steps, millis,
                millis / steps);
        return millis / steps;
    }

    static String body(String id, String command) {
        return "{\"id\":\"bench-" + run + "-" + id + "\",\"validate\":{\"shell\":[\"" + command + "\"]}}";
    }

    static final AtomicLong COUNT = new AtomicLong();

    static HttpResponse<String> send(String json) throws Exception {
        COUNT.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/patches")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            // a kept-alive connection Tomcat closed as the request went out (the JDK client retries only GETs);
            // a submission is idempotent by id and hash, so it is sent again
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Milliseconds from the start of the POST to the end of the followed log, once the patch is seen SUCCEEDED. */
    static double endToEnd(String id) throws Exception {
        long begin = System.nanoTime();
        HttpResponse<String> accepted = send(body(id, "true"));
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("submit answered " + accepted.statusCode() + ": " + accepted.body());
        }
        follow("bench-" + run + "-" + id);
        double millis = (System.nanoTime() - begin) / 1e6;
        requireSucceeded("bench-" + run + "-" + id);
        return millis;
    }

    /** Reads the record once its followed log has ended: it must say SUCCEEDED. */
    static void requireSucceeded(String id) throws Exception {
        String record = http.send(HttpRequest.newBuilder(URI.create(base + "/patches/" + id))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher status = STATUS.matcher(record);
        String value = status.find() ? status.group(1) : "?";
        if (!value.equals("SUCCEEDED")) {
            throw new IllegalStateException("patch " + id + " ended " + value + " when its log did: "
                    + record.substring(0, Math.min(400, record.length())));
        }
    }

    /** Reads GET /patches/{id}/log?follow=true to its end, which the runner makes the end of the patch. */
    static void follow(String id) throws Exception {
        HttpResponse<Void> log = http.send(HttpRequest.newBuilder(URI.create(base + "/patches/" + id + "/log?follow=true"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.discarding());
        if (log.statusCode() != 200) {
            throw new IllegalStateException("the log of " + id + " answered " + log.statusCode());
        }
    }

    /** Submissions per second answered with {@code expected}, by {@code clients} concurrent clients for {@code seconds}. */
    static double throughput(int clients, double seconds, java.util.function.IntFunction<String> bodies, int expected) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong ok = new AtomicLong();
        AtomicLong other = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long begin = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    HttpResponse<String> response = send(bodies.apply(next.getAndIncrement()));
                    if (response.statusCode() == expected) {
                        ok.incrementAndGet();
                    } else {
                        other.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        pool.shutdown();
        if (other.get() > 0) {
            System.out.println("  (" + other.get() + " answers other than " + expected + ")");
        }
        return ok.get() / elapsed;
    }

    /**
     * The runner's floor: a sandboxed launch of `true` exactly as the runner starts a command, by SandboxBench's
     * serve mode (which has the runner's classes), one per request.
     */
    record SandboxFloor(Process server, java.io.BufferedReader answers, java.io.PrintStream requests) {

        static SandboxFloor start(String command) throws Exception {
            if (command == null || command.isBlank()) {
                throw new IllegalStateException("BENCH_FLOOR_SERVER is not set: run this through bench/runner/run.sh");
            }
            Process server = new ProcessBuilder("bash", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new SandboxFloor(server, new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream())),
                    new java.io.PrintStream(server.getOutputStream(), true));
        }

        /** One sandboxed launch, in milliseconds. */
        double launch() throws Exception {
            requests.println();
            String answer = answers.readLine();
            if (answer == null) {
                throw new IllegalStateException("the sandbox floor server stopped");
            }
            return Double.parseDouble(answer);
        }

        void close() throws Exception {
            requests.close();
            server.waitFor();
        }
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
