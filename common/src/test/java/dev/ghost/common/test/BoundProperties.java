package dev.ghost.common.test;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.annotation.MergedAnnotations;

/**
 * A {@code @ConfigurationProperties} record as a service would bind it, for tests that build a
 * class without starting a context: its {@code @DefaultValue}s, with {@code overrides} given by
 * property name below the record's prefix ({@code "buffer-capacity"} for {@code ghost.events.buffer-capacity}).
 */
public final class BoundProperties {

    private BoundProperties() {
    }

    public static <T> T bind(Class<T> type, Map<String, ?> overrides) {
        String prefix = MergedAnnotations.from(type).get(ConfigurationProperties.class).getString("prefix");
        Map<String, Object> source = new HashMap<>();
        overrides.forEach((name, value) -> source.put(prefix + "." + name, value));
        return new Binder(new MapConfigurationPropertySource(source)).bindOrCreate(prefix, type);
    }

    public static <T> T defaults(Class<T> type) {
        return bind(type, Map.of());
    }
}
