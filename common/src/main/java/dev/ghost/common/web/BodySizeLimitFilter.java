package dev.ghost.common.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.ghost.common.problem.ProblemWriter;
import dev.ghost.common.problem.Problems;

/**
 * Refuses request bodies over {@code ghost.http.max-body-size} (default 1 MiB) with 413 before
 * anything reads them. Bodies without a Content-Length (chunked) are refused too: a patch client
 * always knows its size, and an unbounded stream is how memory gets exhausted.
 */
public class BodySizeLimitFilter extends OncePerRequestFilter {

    private final DataSize limit;
    private final ProblemWriter problems;

    public BodySizeLimitFilter(DataSize limit, ProblemWriter problems) {
        this.limit = limit;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        boolean chunked = length < 0 && "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
        if (length > limit.toBytes() || chunked) {
            problems.write(request, response, Problems.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Content Too Large",
                    chunked ? "Send the body with a Content-Length (at most " + limit.toBytes() + " bytes)."
                            : "The body has " + length + " bytes; the limit is " + limit.toBytes() + "."));
            return;
        }
        chain.doFilter(request, response);
    }
}
