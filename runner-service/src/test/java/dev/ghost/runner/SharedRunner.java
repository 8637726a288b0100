package dev.ghost.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;

/**
 * One real runner for every test class of this module that does not need a runner of its own:
 * started on first use (in this JVM, on a free port, against the test Redis) and shared, like a
 * cached Spring context. Workspaces default, alpha, beta and gamma are fresh temp directories;
 * the queue holds 3 and 2 patches run at once, so queue-full and overlap tests are cheap.
 */
public final class SharedRunner {

    public static final int QUEUE_CAPACITY = 3;
    private static RunningApp app;
    private static Path home;

    private SharedRunner() {
    }

    public static synchronized RunningApp app() {
        if (app == null) {
            try {
                home = Files.createTempDirectory("ghost-runner-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> properties = new LinkedHashMap<>();
            for (String name : new String[] {"default", "alpha", "beta", "gamma"}) {
                properties.put("ghost.runner.workspaces." + name, home.resolve("workspaces/" + name).toString());
            }
            properties.put("ghost.runner.state-dir", home.resolve("state").toString());
            properties.put("ghost.runner.inbox", home.resolve("inbox").toString());
            properties.put("ghost.runner.inbox-settle", "300ms");
            properties.put("ghost.runner.inbox-poll-interval", "100ms");
            properties.put("ghost.runner.max-concurrent", "2");
            properties.put("ghost.runner.queue-capacity", String.valueOf(QUEUE_CAPACITY));
            properties.put("ghost.runner.lease", "2s");
            properties.put("ghost.runner.sweep-interval", "500ms");
            properties.put("ghost.runner.kill-grace", "1s");
            properties.put("ghost.runner.output-limit", "64KB");
            properties.put("ghost.runner.output-tail", "1KB");
            app = TestApps.start(RunnerApplication.class, properties);
            Runtime.getRuntime().addShutdownHook(new Thread(app::close));
        }
        return app;
    }

    public static Path workspace(String name) {
        app();
        return home.resolve("workspaces/" + name);
    }

    public static Path inbox() {
        app();
        return home.resolve("inbox");
    }

    /** A directory outside every workspace, for escape attempts. */
    public static Path outside() {
        app();
        Path dir = home.resolve("outside");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
