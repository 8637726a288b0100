package dev.ghost.common.config;

import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration;
import org.springframework.context.annotation.Bean;

import dev.ghost.common.actuator.PublicInfoWebExtension;

/** Actuator as GHOST exposes it: a public {@code /actuator/info} that tells strangers only name and version. */
@AutoConfiguration(after = InfoEndpointAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(name = "ghost.security.api-tokens", havingValue = "true", matchIfMissing = true)
public class GhostActuatorAutoConfiguration {

    @Bean
    @ConditionalOnBean(InfoEndpoint.class)
    PublicInfoWebExtension publicInfoWebExtension(InfoEndpoint info) {
        return new PublicInfoWebExtension(info);
    }
}
