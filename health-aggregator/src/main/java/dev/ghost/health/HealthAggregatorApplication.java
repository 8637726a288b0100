package dev.ghost.health;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import dev.ghost.common.config.GhostService;

@SpringBootApplication
@GhostService("health-aggregator")
public class HealthAggregatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(HealthAggregatorApplication.class, args);
    }
}
