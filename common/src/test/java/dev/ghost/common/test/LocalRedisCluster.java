package dev.ghost.common.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster for tests, from the installed {@code redis-server}: {@code masters} masters
 * with {@code replicas} replicas each, on free ports, joined with {@code redis-cli --cluster create}.
 * A node fails over within about two seconds of its master's death ({@code cluster-node-timeout}).
 * No mock: the cluster redirects, splits slots and fails over exactly as a production one does.
 */
public final class LocalRedisCluster implements AutoCloseable {

    /** One redis-server process of the cluster. */
    public static final class Node {
        private final int port;
        private final Path dir;
        private Process process;

        Node(int port, Path dir) {
            this.port = port;
            this.dir = dir;
        }

        public int port() {
            return port;
        }

        void start() throws IOException {
            process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes.conf").toString(),
                    "--cluster-node-timeout", "2000", "--dir", dir.toString(), "--save", "", "--appendonly", "no",
                    "--protected-mode", "no")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        }

        /** SIGKILL, as a crash. */
        public void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        boolean alive() {
            return process != null && process.isAlive();
        }
    }

    private final List<Node> nodes = new ArrayList<>();
    private final int masters;

    private LocalRedisCluster(int masters) {
        this.masters = masters;
    }

    public static LocalRedisCluster start(int masters, int replicas) {
        LocalRedisCluster cluster = new LocalRedisCluster(masters);
        try {
            Path home = Files.createTempDirectory("ghost-redis-cluster");
            for (int i = 0; i < masters * (1 + replicas); i++) {
                Node node = new Node(freeClusterPort(), Files.createDirectories(home.resolve("node-" + i)));
                node.start();
                cluster.nodes.add(node);
            }
            for (Node node : cluster.nodes) {
                awaitPing(node.port());
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            cluster.nodes.forEach(node -> create.add("127.0.0.1:" + node.port()));
            create.addAll(List.of("--cluster-replicas", String.valueOf(replicas), "--cluster-yes"));
            String output = run(create);
            if (!output.contains("All 16384 slots covered")) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
            }
            cluster.awaitState("cluster_state:ok");
            return cluster;
        } catch (IOException e) {
            cluster.close();
            throw new UncheckedIOException("cannot start a local Redis Cluster (is redis-server installed?)", e);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** What {@code spring.data.redis.cluster.nodes} takes. */
    public String nodesProperty() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    /** The nodes that are masters now. */
    public List<Node> masters() {
        String info = run(List.of("redis-cli", "-p", String.valueOf(anyLive().port()), "cluster", "nodes"));
        List<Node> found = new ArrayList<>();
        for (String line : info.split("\n")) {
            if (line.contains("master") && !line.contains("fail")) {
                int port = Integer.parseInt(line.split(" ")[1].split("[:@]")[1]);
                nodes.stream().filter(node -> node.port() == port).forEach(found::add);
            }
        }
        return found;
    }

    /** Waits until the cluster covers every slot again with live masters (after a failover). */
    public void awaitHealthy() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (masters().size() == masters && run(List.of("redis-cli", "-p", String.valueOf(anyLive().port()), "cluster", "info"))
                    .contains("cluster_state:ok")) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("the cluster did not recover within 30 s");
    }

    private void awaitState(String expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            boolean everywhere = nodes.stream().allMatch(node ->
                    run(List.of("redis-cli", "-p", String.valueOf(node.port()), "cluster", "info")).contains(expected));
            if (everywhere) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("the cluster did not reach " + expected);
    }

    private Node anyLive() {
        return nodes.stream().filter(Node::alive).findFirst().orElseThrow();
    }

    private static void awaitPing(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (run(List.of("redis-cli", "-p", String.valueOf(port), "ping")).contains("PONG")) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("redis-server on port " + port + " did not start");
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A port whose cluster bus port (+10000) is free too. */
    private static int freeClusterPort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            if (port + 10000 > 65535) {
                continue;
            }
            try (ServerSocket bus = new ServerSocket(port + 10000)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port pair for a Redis Cluster node");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            if (node.alive()) {
                node.process.destroyForcibly();
            }
        }
    }
}
