package dev.ghost.common.problem;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/** Writes a problem+json body straight to a servlet response, for filters that run outside MVC. */
public class ProblemWriter {

    private final JsonMapper mapper;

    public ProblemWriter(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        if (problem.getInstance() == null) {
            problem.setInstance(java.net.URI.create(request.getRequestURI()));
        }
        response.resetBuffer();
        response.setStatus(problem.getStatus());
        response.setContentType(ProblemMediaType.of(request).toString());
        response.setCharacterEncoding("UTF-8");
        mapper.writeValue(response.getOutputStream(), problem);
    }
}
