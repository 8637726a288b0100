package dev.ghost.common.problem;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

import dev.ghost.common.patch.Violation;

/** Builds problem details with GHOST's type URIs, so every service words errors the same way. */
public final class Problems {

    public static final String TYPE_PREFIX = "urn:ghost:problem:";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String slug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + slug));
        problem.setTitle(title);
        return problem;
    }

    /** THE body of every 400 in GHOST: each violation with its JSON pointer, so a client can point at the field. */
    public static ProblemDetail invalidRequest(List<Violation> violations) {
        ProblemDetail problem = of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                violations.size() == 1 ? "1 violation; see 'violations'." : violations.size() + " violations; see 'violations'.");
        problem.setProperty("violations", violations.stream()
                .map(v -> Map.of("pointer", v.pointer(), "message", v.message()))
                .toList());
        return problem;
    }

    public static ProblemDetail redisUnavailable() {
        return of(HttpStatusCode.valueOf(503), "redis-unavailable", "Service Unavailable",
                "The shared state store (Redis) cannot be reached; nothing was changed. Retry shortly.");
    }
}
