package dev.ghost.relaytest.subscriber;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A real event subscriber for the relay's tests: a GHOST service (common's security, so it checks
 * the relay's service token) registered in Eureka under the name the test gives it, which records
 * every event batch it is sent, or answers 500 or 503 while told to.
 */
@SpringBootApplication
public class TestSubscriberApplication {

    @Bean
    Inbox inbox() {
        return new Inbox();
    }

    /** What this subscriber received, in arrival order (duplicates included). */
    public static class Inbox {
        public final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
        /** Refuses every batch (500): what the relay must park as dead letters. */
        public final AtomicBoolean failing = new AtomicBoolean();
        /** Up but unable to take events now (503): what the relay must wait out. */
        public final AtomicBoolean unavailable = new AtomicBoolean();

        public List<Map<String, Object>> ofType(String prefix) {
            return events.stream().filter(event -> String.valueOf(event.get("type")).startsWith(prefix)).toList();
        }
    }

    @RestController
    static class Receiver {

        private final Inbox inbox;

        Receiver(Inbox inbox) {
            this.inbox = inbox;
        }

        @PostMapping("/events")
        @PreAuthorize("hasRole('SERVICE')")
        ResponseEntity<Void> receive(@RequestBody List<Map<String, Object>> events) {
            if (inbox.unavailable.get()) {
                return ResponseEntity.status(503).build();
            }
            if (inbox.failing.get()) {
                return ResponseEntity.internalServerError().build();
            }
            inbox.events.addAll(events);
            return ResponseEntity.noContent().build();
        }
    }
}
