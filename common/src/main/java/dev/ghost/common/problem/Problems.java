package dev.ghost.common.problem;

import java.net.URI;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

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

    public static ProblemDetail redisUnavailable() {
        return of(HttpStatusCode.valueOf(503), "redis-unavailable", "Service Unavailable",
                "The shared state store (Redis) cannot be reached; nothing was changed. Retry shortly.");
    }
}
