package dev.ghost.common.config;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.BlockingLoadBalancerInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.event.EventPublisher;
import dev.ghost.common.event.GhostEventsProperties;
import dev.ghost.common.event.RedisStreamEventPublisher;
import dev.ghost.common.event.RelayEventPublisher;
import dev.ghost.common.security.GhostSecurityProperties;
import dev.ghost.common.web.PooledHttp;

/**
 * THE {@link EventPublisher} of every service, unless the service defines its own (the relay
 * does: it publishes into its own hub). Which one is explicit: {@code ghost.events.transport=relay}
 * sends to the relay over HTTP ({@link RelayEventPublisher}); {@code redis} appends to the capped
 * {@code ghost:events} stream ({@link RedisStreamEventPublisher}). Unset, it follows discovery:
 * relay when {@code eureka.client.enabled} is true (the default), redis when Eureka is off, since
 * the relay cannot be found then. Services outside GHOST's token model (the registry) get none.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@ConditionalOnProperty(name = "ghost.security.api-tokens", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({GhostEventsProperties.class, GhostSecurityProperties.class})
public class GhostEventsAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @Conditional(RelayTransport.class)
    static class ToRelay {

        @Bean
        @ConditionalOnMissingBean(EventPublisher.class)
        RelayEventPublisher relayEventPublisher(ObjectProvider<BlockingLoadBalancerInterceptor> loadBalancer,
                GhostEventsProperties properties, GhostSecurityProperties security, JsonMapper json, MeterRegistry meters) {
            if (security.serviceToken() == null || security.serviceToken().isBlank()) {
                throw new MissingCredentialsException("Events go to the relay, which needs the service token, and none is set.",
                        "Set GHOST_SERVICE_TOKEN (./ghost up generates it), or ghost.events.transport=redis.");
            }
            // The same interceptor @LoadBalanced installs; resolved per call so its bean may come up after this one.
            RestClient relay = RestClient.builder()
                    .baseUrl("http://" + properties.relayService())
                    .requestFactory(PooledHttp.requestFactory(Duration.ofSeconds(2), Duration.ofSeconds(10), 4))
                    .requestInterceptor((request, body, execution) -> loadBalancer.getObject().intercept(request, body, execution))
                    .build();
            return new RelayEventPublisher(relay, security.serviceToken(), json, properties, meters);
        }
    }

    @Bean
    @ConditionalOnMissingBean(EventPublisher.class)
    @ConditionalOnBean(StringRedisTemplate.class)
    RedisStreamEventPublisher redisStreamEventPublisher(StringRedisTemplate redis, JsonMapper json) {
        return new RedisStreamEventPublisher(redis, json);
    }

    /** relay if asked for, or if unset while Eureka discovery is on. */
    static class RelayTransport extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String transport = context.getEnvironment().getProperty("ghost.events.transport");
            if (transport == null || transport.isBlank()) {
                boolean eureka = context.getEnvironment().getProperty("eureka.client.enabled", Boolean.class, true);
                return eureka ? ConditionOutcome.match("Eureka discovery is on, so events go to the relay")
                        : ConditionOutcome.noMatch("Eureka discovery is off, so events go to the ghost:events stream");
            }
            return switch (transport.trim().toLowerCase()) {
                case "relay" -> ConditionOutcome.match("ghost.events.transport=relay");
                case "redis" -> ConditionOutcome.noMatch("ghost.events.transport=redis");
                default -> throw new IllegalStateException("ghost.events.transport must be 'relay' or 'redis', not '" + transport + "'");
            };
        }
    }
}
