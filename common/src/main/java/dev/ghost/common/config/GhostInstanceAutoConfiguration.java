package dev.ghost.common.config;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** The {@link GhostInstance} of every GHOST service. */
@AutoConfiguration
public class GhostInstanceAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    GhostInstance ghostInstance(Environment environment) {
        return GhostInstance.of(environment);
    }
}
