package dev.ghost.common.web;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.ghost.common.problem.ProblemMediaType;
import dev.ghost.common.problem.Problems;

/** A controller that cannot reach Redis answers 503 (retry later), never 500. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RedisProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(RedisProblemHandler.class);

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ProblemDetail> redisDown(DataAccessException e, HttpServletRequest request) {
        log.warn("Redis unavailable while serving {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        ProblemDetail problem = Problems.redisUnavailable();
        problem.setInstance(java.net.URI.create(request.getRequestURI()));
        return ResponseEntity.status(problem.getStatus())
                .header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(ProblemMediaType.of(request))
                .body(problem);
    }
}
