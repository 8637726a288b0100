package dev.ghost.relay.config;

import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/**
 * The relay's one {@code @LoadBalanced} builder; each use clones it and adds its own pooled
 * request factory and interceptors. Not a default candidate, so nothing that asks for a plain
 * {@code RestClient.Builder} (Eureka's own client among them) is handed a load-balanced one.
 */
@Configuration(proxyBeanMethods = false)
public class LoadBalancedClients {

    @Bean(defaultCandidate = false)
    @LoadBalanced
    RestClient.Builder loadBalancedRestClientBuilder() {
        return RestClient.builder();
    }
}
