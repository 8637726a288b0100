package dev.ghost.health;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class HealthAggregatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(HealthAggregatorApplication.class, args);
    }
}
