package dev.ghost.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code ghost-defaults.yml} as the lowest-precedence property source, so every service
 * shares one set of defaults (actuator exposure, Redis and Eureka wiring, sessions) that its own
 * configuration, the environment or .env can still override; and points Boot at the service's
 * own {@code <name>.yml} (see {@link GhostService}). Runs before config files are read.
 */
public class GhostDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String RESOURCE = "ghost-defaults.yml";

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        application.getAllSources().stream()
                .filter(Class.class::isInstance)
                .map(source -> ((Class<?>) source).getAnnotation(GhostService.class))
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .ifPresent(service -> environment.getPropertySources().addLast(new MapPropertySource("ghostService",
                        Map.of("spring.config.name", service.value(), "spring.application.name", service.value()))));
        try {
            // as Boot's "defaultProperties", which stay below every config file whatever order they are loaded in
            for (PropertySource<?> source : new YamlPropertySourceLoader().load("ghost-defaults", new ClassPathResource(RESOURCE))) {
                Map<String, Object> values = new java.util.LinkedHashMap<>();
                ((Map<?, ?>) source.getSource()).forEach((key, value) -> values.put(String.valueOf(key),
                        value instanceof OriginTrackedValue tracked ? tracked.getValue() : value));
                DefaultPropertiesPropertySource.addOrMerge(values, environment.getPropertySources());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
