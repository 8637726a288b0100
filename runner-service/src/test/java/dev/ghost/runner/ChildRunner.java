package dev.ghost.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;

/**
 * A real runner in a JVM of its own, so a test can kill it with SIGKILL mid-patch and start it
 * again on the same state directory and port, as a crashed and restarted runner would be.
 */
final class ChildRunner implements AutoCloseable {

    private final Path home;
    private final Path workspace;
    private final String redisUrl;
    private final Map<String, String> environment;
    private final int port = TestApps.freePort();
    private Process process;

    ChildRunner(Path home, Path workspace, String redisUrl, Map<String, String> environment) {
        this.home = home;
        this.workspace = workspace;
        this.redisUrl = redisUrl;
        this.environment = environment;
    }

    /** Starts it and waits until it answers. */
    ChildRunner start() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), RunnerApplication.class.getName(),
                "--server.port=" + port,
                "--eureka.client.enabled=false",
                "--ghost.runner.instance-id=child-" + port,
                "--ghost.runner.workspaces.default=" + workspace,
                "--ghost.runner.state-dir=" + home.resolve("state"),
                "--ghost.runner.lease=2s"));
        TestTokens.properties().forEach((key, value) -> {
            if (!key.equals("ghost.security.admin-token")) {
                command.add("--" + key + "=" + value);
            }
        });
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.environment().put("GHOST_ADMIN_TOKEN", TestTokens.ADMIN);
        builder.environment().put("REDIS_URL", redisUrl);
        try {
            process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RunningApp remote = new RunningApp(null, port);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
            assertThat(process.isAlive()).as("child runner died; see %s", log()).isTrue();
            try {
                return TestHttp.get(remote.url("/actuator/health"), null).statusCode() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
        return this;
    }

    RunnerClient client() {
        return new RunnerClient(new RunningApp(null, port));
    }

    /** SIGKILL: no shutdown hook, no rollback, exactly like a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    Path state() {
        return home.resolve("state");
    }

    Path log() {
        return home.resolve("child-" + port + ".log");
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
