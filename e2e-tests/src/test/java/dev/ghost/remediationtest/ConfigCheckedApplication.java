package dev.ghost.remediationtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A service of the kind GHOST watches: registered in Eureka, healthy only while {@code app.conf} in
 * its directory ({@code shop.config-dir}, a runner's workspace) says {@code mode=ok}. A wrong file is
 * an instance that reports DOWN until something puts the file right again.
 */
@SpringBootApplication
public class ConfigCheckedApplication {

    @Bean
    HealthIndicator config(Environment environment) {
        Path file = Path.of(environment.getRequiredProperty("shop.config-dir")).resolve("app.conf");
        return () -> {
            try {
                String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
                return text.lines().anyMatch("mode=ok"::equals) ? Health.up().build()
                        : Health.down().withDetail("app.conf", text.isBlank() ? "missing" : text.strip()).build();
            } catch (IOException e) {
                return Health.down(e).build();
            }
        };
    }
}
