package dev.ghost.runner;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import dev.ghost.common.config.GhostService;

@SpringBootApplication
@GhostService("runner-service")
public class RunnerApplication {

    public static void main(String[] args) {
        // Every command is a process start: on Linux, Java 17's default (posix_spawn through the
        // jspawnhelper executable) costs an extra exec per command; vfork starts /bin/sh directly.
        if (System.getProperty("jdk.lang.Process.launchMechanism") == null && Runtime.version().feature() < 22
                && System.getProperty("os.name").startsWith("Linux")) {
            System.setProperty("jdk.lang.Process.launchMechanism", "VFORK");
        }
        SpringApplication.run(RunnerApplication.class, args);
    }
}
