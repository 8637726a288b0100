package dev.ghost.relay.patch;

import java.time.Duration;

import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

import dev.ghost.common.web.PooledHttp;

/**
 * The load balancer's view of {@code runner-service} (a child-context configuration, deliberately
 * not a scanned {@code @Configuration}): Eureka's instances, each health-checked every
 * {@code spring.cloud.loadbalancer.health-check.interval} (so a stopped runner leaves rotation
 * within seconds, not after Eureka's lease; a check may take 2 s), minus runners whose
 * circuit is open, in a stable order for round-robin. Spring Cloud wraps it in its retry-aware supplier, which keeps a
 * retry off the instance that just failed.
 */
public class RunnerLoadBalancerConfiguration {

    @Bean
    ServiceInstanceListSupplier runnerInstances(ConfigurableApplicationContext context) {
        RestClient healthChecks = RestClient.builder()
                .requestFactory(PooledHttp.requestFactory(Duration.ofMillis(500), Duration.ofSeconds(2), 2))
                .build();
        RunnerBreakers breakers = context.getBean(RunnerBreakers.class);
        ServiceInstanceListSupplier registered = ServiceInstanceListSupplier.builder().withBlockingDiscoveryClient().build(context);
        return ServiceInstanceListSupplier.builder()
                .withBlockingDiscoveryClient()
                .withBlockingHealthChecks(healthChecks)
                .with((ctx, healthy) -> new RunnerRotation(healthy, registered, breakers))
                .build(context);
    }
}
