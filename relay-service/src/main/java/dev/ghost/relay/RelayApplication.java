package dev.ghost.relay;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import dev.ghost.common.config.GhostService;
import dev.ghost.relay.config.RelayIdentity;

@SpringBootApplication
@GhostService("relay-service")
public class RelayApplication {

    public static void main(String[] args) {
        SpringApplication.run(RelayApplication.class, args);
    }

    @Bean
    RelayIdentity relayIdentity(@Value("${eureka.instance.instance-id:relay-service}") String instanceId) {
        return new RelayIdentity(instanceId);
    }
}
