package dev.ghost.relay.event;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.config.GhostInstance;
import dev.ghost.common.event.EventPublisher;
import dev.ghost.common.security.GhostSecurityProperties;
import dev.ghost.common.web.PooledHttp;

/** The events hub: outboxes in Redis, one delivery worker per subscriber, the relay's own publisher. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventsProperties.class)
public class EventsConfiguration {

    @Bean
    Outbox outbox(StringRedisTemplate redis, EventsProperties properties) {
        return new Outbox(redis, properties);
    }

    /** The relay publishes into its own hub; this replaces common's HTTP publisher. */
    @Bean
    EventPublisher hubEventPublisher(ObjectProvider<EventHub> hub, JsonMapper json, MeterRegistry meters) {
        return new HubEventPublisher(hub, json, meters);
    }

    @Bean
    EventHub eventHub(EventsProperties properties, Outbox outbox, @LoadBalanced RestClient.Builder loadBalanced,
            GhostSecurityProperties security, GhostInstance instance, EventPublisher events, MeterRegistry meters) {
        RestClient subscribers = loadBalanced.clone()
                .requestFactory(PooledHttp.requestFactory(Duration.ofSeconds(2), properties.events().timeout(), 8))
                .build();
        return new EventHub(properties, outbox, subscribers, security.serviceToken(), instance.id(), events, meters);
    }
}
