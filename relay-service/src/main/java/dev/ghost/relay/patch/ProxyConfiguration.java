package dev.ghost.relay.patch;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.config.GhostInstance;
import dev.ghost.common.config.MissingCredentialsException;
import dev.ghost.common.event.EventPublisher;
import dev.ghost.common.security.GhostSecurityProperties;
import dev.ghost.common.web.PooledHttp;

/** The patch proxy: runner instances from Eureka through Spring Cloud LoadBalancer, one pooled HTTP client. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RunnersProperties.class)
@LoadBalancerClient(name = RunnerGateway.SERVICE, configuration = RunnerLoadBalancerConfiguration.class)
public class ProxyConfiguration {

    @Bean
    RunnerBreakers runnerBreakers(ObjectProvider<CircuitBreakerRegistry> registry, RunnersProperties properties,
            EventPublisher events, GhostInstance instance) {
        return new RunnerBreakers(registry.getIfAvailable(CircuitBreakerRegistry::ofDefaults), properties, events, instance.id());
    }

    @Bean
    RunnerGateway runnerGateway(@LoadBalanced RestClient.Builder loadBalanced, RunnerBreakers breakers,
            LoadBalancerClientFactory balancers, RunnersProperties properties, GhostSecurityProperties security) {
        if (security.serviceToken() == null || security.serviceToken().isBlank()) {
            throw new MissingCredentialsException("The relay has no SERVICE token to call runners with.",
                    "Set GHOST_SERVICE_TOKEN (./ghost up generates one); the relay never passes its callers' tokens on.");
        }
        HttpComponentsClientHttpRequestFactory pooled = PooledHttp.requestFactory(properties.connectTimeout(),
                properties.readTimeout(), properties.connectionsPerRunner());
        // added after the load balancer's interceptor, so the breaker sees the instance it picked
        RestClient balanced = loadBalanced.clone().requestFactory(pooled).requestInterceptor(breakers).build();
        RestClient direct = RestClient.builder().requestFactory(pooled).requestInterceptor(breakers).build();
        RestClient streaming = RestClient.builder()
                .requestFactory(PooledHttp.requestFactory(properties.connectTimeout(), Duration.ZERO, 16))
                .requestInterceptor(breakers)
                .build();
        return new RunnerGateway(balanced, direct, streaming, balancers, properties, security.serviceToken());
    }

    @Bean
    FinishedSubmissions finishedSubmissions(JsonMapper json, RunnersProperties properties) {
        return new FinishedSubmissions(json, properties.finishedAnswersFor(), 10_000);
    }

    @Bean
    PatchRecords patchRecords(StringRedisTemplate redis, JsonMapper json) {
        return new PatchRecords(redis, json);
    }
}
