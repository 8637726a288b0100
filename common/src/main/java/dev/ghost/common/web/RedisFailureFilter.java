package dev.ghost.common.web;

import java.io.IOException;

import io.lettuce.core.RedisException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.ghost.common.problem.ProblemWriter;
import dev.ghost.common.problem.Problems;

/**
 * Redis is touched before MVC runs (sessions, token lookups) and after it (session commit), where
 * no controller advice can help. This outermost filter turns a Redis failure there into a 503
 * problem instead of the container's 500.
 */
public class RedisFailureFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RedisFailureFilter.class);

    private final ProblemWriter problems;

    public RedisFailureFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException e) {
            if (!isRedisFailure(e)) {
                throw e;
            }
            log.warn("Redis unavailable while serving {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
            response.setHeader(HttpHeaders.RETRY_AFTER, "5");
            problems.write(request, response, Problems.redisUnavailable());
        }
    }

    static boolean isRedisFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataAccessException || t instanceof RedisException) {
                return true;
            }
        }
        return false;
    }
}
