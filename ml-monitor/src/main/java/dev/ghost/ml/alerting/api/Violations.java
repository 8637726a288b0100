package dev.ghost.ml.alerting.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

import dev.ghost.common.problem.GhostProblemException;

/** Collects every problem of a request, then fails once with all of them (same shape as GHOST's other 400s). */
final class Violations {

    private final List<Map<String, String>> found = new ArrayList<>();

    void add(String pointer, String message) {
        found.add(Map.of("pointer", pointer, "message", message));
    }

    int size() {
        return found.size();
    }

    void throwIfAny() {
        if (!found.isEmpty()) {
            throw new GhostProblemException(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    found.size() == 1 ? "1 violation; see 'violations'." : found.size() + " violations; see 'violations'.")
                    .with("violations", List.copyOf(found));
        }
    }
}
