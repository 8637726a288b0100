package dev.ghost.runner.sandbox;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.ghost.runner.config.RunnerProperties;

/** Says how patches are isolated ({@code sandbox: bubblewrap | none}) among the health details. */
public class SandboxHealthIndicator implements HealthIndicator {

    private final RunnerProperties properties;

    public SandboxHealthIndicator(RunnerProperties properties) {
        this.properties = properties;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up().withDetail("sandbox", properties.sandbox().name().toLowerCase());
        if (properties.sandbox() == SandboxMode.BUBBLEWRAP) {
            health.withDetail("limits", "rlimits per command: " + properties.limits().processes() + " processes, "
                    + properties.limits().memory().toMegabytes() + " MB memory, " + properties.limits().cpuTime().toSeconds()
                    + " s CPU, " + properties.limits().fileSize().toMegabytes() + " MB per file")
                    .withDetail("rollback", "overlay");
        } else {
            health.withDetail("rollback", "full copy of the workspace per patch")
                    .withDetail("warning", "commands run unsandboxed, as the runner's own user");
        }
        return health.build();
    }
}
