package dev.ghost.ml;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import dev.ghost.common.config.GhostService;

@SpringBootApplication
@GhostService("ml-monitor")
public class MlMonitorApplication {

    public static void main(String[] args) {
        SpringApplication.run(MlMonitorApplication.class, args);
    }
}
