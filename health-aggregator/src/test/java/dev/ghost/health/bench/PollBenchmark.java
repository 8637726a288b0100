package dev.ghost.health.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.event.RedisStreamEventPublisher;
import dev.ghost.common.leader.Leadership;
import dev.ghost.common.test.BoundProperties;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.health.HealthKeys;
import dev.ghost.health.config.HealthMeters;
import dev.ghost.health.config.HealthProperties;
import dev.ghost.health.events.HealthOutput;
import dev.ghost.health.events.TransitionLedger;
import dev.ghost.health.fleet.Fleet;
import dev.ghost.health.fleet.FleetListener;
import dev.ghost.health.fleet.FleetView;
import dev.ghost.health.fleet.Sample;
import dev.ghost.health.fleet.Transition;
import dev.ghost.health.history.HistoryStore;
import dev.ghost.health.probe.AsyncLimiter;
import dev.ghost.health.probe.ProbeClient;
import dev.ghost.health.probe.Prober;
import dev.ghost.health.probe.Target;

/**
 * Measures the aggregator's polling against fake instances served by a separate JVM
 * ({@link FakeFleet}), so only the aggregator's own CPU is counted. Three parts, each beside a
 * baseline measured in the same run:
 * <ol>
 * <li>time and CPU to poll every instance once (health + 44 KB Prometheus scrape), parallel with
 *     bounded concurrency versus one at a time;</li>
 * <li>CPU seconds per minute of the whole polling pipeline (fleet, history and events in a real
 *     Redis) at the default 10 s interval;</li>
 * <li>time from killing an instance to its confirmed DOWN at the default 10 s interval, with the
 *     connection watch (GHOST's default) versus polling alone.</li>
 * </ol>
 */
public final class PollBenchmark {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private PollBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int instances = intArg(args, "--instances", 200);
        int rounds = intArg(args, "--rounds", 60);
        int baselineRounds = intArg(args, "--baseline-rounds", 10);
        int cpuInstances = intArg(args, "--cpu-instances", 50);
        int cpuSeconds = intArg(args, "--cpu-seconds", 60);
        int trials = intArg(args, "--trials", 10);
        int delay = intArg(args, "--delay-ms", 20);
        System.out.printf("== health-aggregator benchmark: Java %s, %d cores ==%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        if (rounds > 0) {
            try (Fleetside fleet = Fleetside.start(instances, 0)) {
                pollRounds(fleet, rounds, baselineRounds, "answering at once (loopback)");
            }
            try (Fleetside fleet = Fleetside.start(instances, delay)) {
                pollRounds(fleet, rounds, Math.max(1, baselineRounds / 2), "answering after " + delay + " ms (LAN + health checks)");
            }
        }
        if (cpuSeconds > 0) {
            try (Fleetside fleet = Fleetside.start(cpuInstances, 0)) {
                cpuPerMinute(fleet, cpuSeconds);
            }
        }
        if (trials > 0) {
            try (Fleetside fleet = Fleetside.start(cpuInstances, 0)) {
                detection(fleet, trials, true);
                detection(fleet, trials, false);
            }
        }
    }

    // ---- 1. one round: every instance's health and metrics

    static void pollRounds(Fleetside fleet, int rounds, int baselineRounds, String how) {
        HealthProperties properties = BoundProperties.defaults(HealthProperties.class);
        ExecutorService threads = ProbeClient.executor();
        Prober parallel = new Prober(ProbeClient.create(properties.timeout(), threads),
                new AsyncLimiter(properties.maxConcurrency()), properties.timeout());
        Prober sequential = new Prober(ProbeClient.create(properties.timeout(), threads),
                new AsyncLimiter(1), properties.timeout());
        for (int i = 0; i < 10; i++) {
            round(parallel, fleet.targets);
        }
        round(sequential, fleet.targets);
        long[][] fast = measure(parallel, fleet.targets, rounds);
        long[][] slow = measure(sequential, fleet.targets, baselineRounds);
        threads.shutdownNow();
        System.out.printf("%n-- 1. Poll all %d instances once (health + 44 KB Prometheus scrape each), %s --%n",
                fleet.targets.size(), how);
        System.out.printf("%-34s %7s %10s %10s %14s %8s%n", "", "rounds", "median ms", "p99 ms", "CPU ms/round", "missed");
        row("parallel, limit " + properties.maxConcurrency() + " (GHOST)", fast);
        row("one at a time (baseline)", slow);
        System.out.printf("%-34s %7s %9.1fx %9.1fx %13.2fx%n", "baseline / GHOST", "",
                (double) median(slow[0]) / median(fast[0]), (double) percentile(slow[0], 99) / percentile(fast[0], 99),
                (double) median(slow[1]) / Math.max(1, median(fast[1])));
    }

    private static long[][] measure(Prober prober, List<Target> targets, int rounds) {
        long[] wall = new long[rounds];
        long[] cpu = new long[rounds];
        long[] failed = new long[1];
        for (int i = 0; i < rounds; i++) {
            long cpuBefore = OS.getProcessCpuTime();
            long start = System.nanoTime();
            failed[0] += round(prober, targets);
            wall[i] = (System.nanoTime() - start) / 1_000;
            cpu[i] = (OS.getProcessCpuTime() - cpuBefore) / 1_000;
        }
        return new long[][] {wall, cpu, failed};
    }

    /** Polls every target once; answers how many of them did not answer in time (on a loaded machine some may not). */
    private static int round(Prober prober, List<Target> targets) {
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (Target target : targets) {
            calls.add(prober.health(target).thenCombine(prober.metrics(target), (health, scrape) -> {
                if (!health.up() || scrape.snapshot() == null) {
                    failed.incrementAndGet();
                }
                return scrape;
            }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        return failed.get();
    }

    private static void row(String name, long[][] micros) {
        System.out.printf("%-34s %7d %10.1f %10.1f %14.1f %8d%n", name, micros[0].length, median(micros[0]) / 1000.0,
                percentile(micros[0], 99) / 1000.0, median(micros[1]) / 1000.0, micros[2][0]);
    }

    // ---- 2. CPU per minute of the whole pipeline at the default interval

    static void cpuPerMinute(Fleetside fleet, int seconds) throws Exception {
        RealRedisExtension.EmbeddedRedis redis = RealRedisExtension.EmbeddedRedis.start();
        LettuceConnectionFactory connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
        connections.afterPropertiesSet();
        connections.start();
        try {
            StringRedisTemplate template = new StringRedisTemplate(connections);
            JsonMapper json = JsonMapper.builder().build();
            HealthProperties properties = BoundProperties.defaults(HealthProperties.class);
            ExecutorService threads = ProbeClient.executor();
            ExecutorService out = Executors.newSingleThreadExecutor();
            HealthOutput output = new HealthOutput(new RedisStreamEventPublisher(template, json),
                    new HistoryStore(template, json, properties.retention()), RedisCacheManager.create(connections),
                    new HealthMeters(new SimpleMeterRegistry()), new TransitionLedger(template, json, HealthKeys.ledger("bench")),
                    Leadership.alone("health-aggregator", "bench", Clock.systemUTC()), out, Clock.systemUTC(), "bench",
                    properties.metricBatchSize());
            try {
                // A service runs for days: measure it warm, after the JIT has compiled the polling path.
                HealthProperties warmup = BoundProperties.bind(HealthProperties.class, Map.of("interval", "250ms"));
                CountDownLatch warm = new CountDownLatch(120);
                try (Fleet fast = fleet(warmup, threads, listener(output, warm), out)) {
                    fast.reconcile(fleet.targets);
                    fast.start();
                    warm.await(120, TimeUnit.SECONDS);
                }
                Thread.sleep(2000);
                CountDownLatch first = new CountDownLatch(1);
                try (Fleet polling = fleet(properties, threads, listener(output, first), out)) {
                    polling.reconcile(fleet.targets);
                    polling.start();
                    first.await(60, TimeUnit.SECONDS);
                    long cpuBefore = OS.getProcessCpuTime();
                    long threadsBefore = javaThreadsCpu();
                    long roundsBefore = polling.view().lastRound().number();
                    Thread.sleep(seconds * 1000L);
                    double perMinute = 60.0 / seconds;
                    double total = (OS.getProcessCpuTime() - cpuBefore) / 1e9 * perMinute;
                    double ours = (javaThreadsCpu() - threadsBefore) / 1e9 * perMinute;
                    long polled = polling.view().lastRound().number() - roundsBefore;
                    System.out.printf("%n-- 2. Whole polling pipeline, %d instances every %d s, history and events in Redis (warm) --%n",
                            fleet.targets.size(), properties.interval().toSeconds());
                    System.out.printf("%d rounds in %d s: %.3f CPU s/min for the process (aim: <= 0.7 for 50 instances),%n"
                            + "  of which %.3f in Java threads (polling, parsing, Redis client) and %.3f in the JVM itself (JIT, GC)%n",
                            polled, seconds, total, ours, total - ours);
                }
            } finally {
                threads.shutdownNow();
                out.shutdownNow();
            }
        } finally {
            connections.destroy();
            redis.stop();
        }
    }

    private static FleetListener listener(HealthOutput output, CountDownLatch rounds) {
        return new FleetListener() {
            @Override
            public void transitions(List<Transition> transitions, FleetView view) {
                output.transitions(transitions, view);
            }

            @Override
            public void round(FleetView.Round round, List<Sample> samples, FleetView view) {
                output.round(round, samples, view);
                rounds.countDown();
            }
        };
    }

    private static long javaThreadsCpu() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            total += Math.max(0, cpu);
        }
        return total;
    }

    // ---- 3. from a kill to a confirmed DOWN

    static void detection(Fleetside fleet, int trials, boolean watch) throws Exception {
        HealthProperties properties = BoundProperties.bind(HealthProperties.class, Map.of("watch-connections", watch));
        ConcurrentHashMap<String, Long> downAt = new ConcurrentHashMap<>();
        ConcurrentHashMap<String, Long> upAt = new ConcurrentHashMap<>();
        FleetListener recorder = new FleetListener() {
            @Override
            public void transitions(List<Transition> transitions, FleetView view) {
                for (Transition t : transitions) {
                    if (t.kind() == Transition.Kind.INSTANCE_DOWN) {
                        downAt.put(t.instance(), System.nanoTime());
                    } else if (t.kind() == Transition.Kind.INSTANCE_UP) {
                        upAt.put(t.instance(), System.nanoTime());
                    }
                }
            }
        };
        ExecutorService threads = ProbeClient.executor();
        ExecutorService out = Executors.newSingleThreadExecutor();
        Random random = new Random(42);
        long[] latencies = new long[trials];
        try (Fleet polling = fleet(properties, threads, recorder, out)) {
            polling.reconcile(fleet.targets);
            polling.start();
            Thread.sleep(3000);
            for (int i = 0; i < trials; i++) {
                int victim = i % fleet.targets.size();
                String id = fleet.targets.get(victim).id();
                Thread.sleep(random.nextInt((int) properties.interval().toMillis()));
                downAt.remove(id);
                fleet.command("kill " + victim);
                long killed = System.nanoTime();
                while (!downAt.containsKey(id)) {
                    Thread.sleep(5);
                    if (System.nanoTime() - killed > TimeUnit.SECONDS.toNanos(60)) {
                        throw new IllegalStateException(id + " never turned DOWN");
                    }
                }
                latencies[i] = (downAt.get(id) - killed) / 1_000;
                upAt.remove(id);
                fleet.command("revive " + victim);
                polling.hint(id, "benchmark revived it"); // comes back at once, not at the next poll
                while (!upAt.containsKey(id)) {
                    Thread.sleep(5);
                }
            }
        } finally {
            threads.shutdownNow();
            out.shutdownNow();
        }
        if (watch) {
            System.out.printf("%n-- 3. Kill an instance at a random moment; time until DOWN is confirmed (interval %d s, %d re-probes within %d s) --%n",
                    properties.interval().toSeconds(), properties.confirmations(), properties.confirmWithin().toSeconds());
            System.out.printf("%-34s %7s %10s %10s %10s%n", "", "trials", "median s", "p90 s", "worst s");
        }
        Arrays.sort(latencies);
        System.out.printf("%-34s %7d %10.2f %10.2f %10.2f%n", watch ? "poll + connection watch (GHOST)" : "poll alone (baseline)",
                trials, median(latencies) / 1e6, percentile(latencies, 90) / 1e6, latencies[latencies.length - 1] / 1e6);
    }

    private static Fleet fleet(HealthProperties properties, ExecutorService threads, FleetListener listener, ExecutorService out) {
        Prober prober = new Prober(ProbeClient.create(properties.timeout(), threads),
                new AsyncLimiter(properties.maxConcurrency()), properties.timeout());
        return new Fleet(properties, prober, listener, out, Clock.systemUTC());
    }

    // ---- helpers

    private static long median(long[] values) {
        return percentile(values, 50);
    }

    private static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    /** The fake fleet's process, and the targets it serves. */
    private static final class Fleetside implements AutoCloseable {
        final Process process;
        final List<Target> targets;
        final PrintWriter commands;
        final BufferedReader replies;

        private Fleetside(Process process, List<Target> targets, BufferedReader replies) {
            this.process = process;
            this.targets = targets;
            this.replies = replies;
            this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        static Fleetside start(int count, int delayMillis) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // nodelay: without it the JDK server's header and body writes meet delayed ACKs (40 ms stalls per call)
            Process process = new ProcessBuilder(java, "-Xmx512m", "-Dsun.net.httpserver.nodelay=true",
                    "-cp", System.getProperty("java.class.path"),
                    FakeFleet.class.getName(), String.valueOf(count), String.valueOf(delayMillis)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = replies.readLine();
            if (line == null || !line.startsWith("PORTS ")) {
                throw new IllegalStateException("fake fleet did not start: " + line);
            }
            List<Target> targets = new ArrayList<>();
            for (String port : line.substring(6).split(",")) {
                targets.add(new Target("bench-" + port, "bench", "127.0.0.1", Integer.parseInt(port),
                        URI.create("http://127.0.0.1:" + port + "/actuator/health"),
                        URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"), "Bearer fake-service-token", "UP"));
            }
            return new Fleetside(process, targets, replies);
        }

        void command(String command) throws Exception {
            commands.println(command);
            String reply = replies.readLine();
            if (!"OK".equals(reply)) {
                throw new IllegalStateException("fake fleet answered " + reply);
            }
        }

        @Override
        public void close() throws Exception {
            commands.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
