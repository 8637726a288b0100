package dev.ghost.sample;

import java.util.Map;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.ghost.common.security.Callers;

/** The smallest GHOST-style service: common's security, sessions and problems, two endpoints. */
@SpringBootApplication
@RestController
public class SampleServiceApplication {

    @GetMapping("/whoami")
    Map<String, Object> whoami() {
        return Map.of("principal", Callers.current().getName());
    }

    @GetMapping("/admin-only")
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, Object> adminOnly() {
        return Map.of("ok", true);
    }
}
