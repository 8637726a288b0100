package dev.ghost.common.problem;

import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.ghost.common.patch.Violation;

/**
 * One place where every service's errors become RFC 9457 problem details. Spring MVC's own
 * exceptions keep their statuses (via the superclass); anything unexpected becomes a 500 problem
 * carrying only an error id, never a stack trace.
 */
@RestControllerAdvice
public class GhostProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GhostProblemHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e, HttpServletRequest request) {
        return invalidRequest(e.violations(), request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraint(ConstraintViolationException e, HttpServletRequest request) {
        List<Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Violation("/" + lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .toList();
        return invalidRequest(violations, request);
    }

    @ExceptionHandler(GhostProblemException.class)
    ResponseEntity<ProblemDetail> ghost(GhostProblemException e, HttpServletRequest request) {
        ProblemDetail problem = Problems.of(e.status(), e.slug(), e.title(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        return respond(problem, e.headers(), request);
    }

    /** Security decides 401 versus 403; let its filter see these. */
    @ExceptionHandler({AccessDeniedException.class, AuthenticationException.class})
    void security(RuntimeException e) {
        throw e;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        String errorId = UUID.randomUUID().toString();
        log.error("Unexpected error {} serving {} {}", errorId, request.getMethod(), request.getRequestURI(), e);
        ProblemDetail problem = Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal Server Error",
                "Something unexpected went wrong; nothing about it was sent to you. Quote error id " + errorId + " to the operators.");
        problem.setProperty("errorId", errorId);
        return respond(problem, new HttpHeaders(), request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Violation> violations = e.getBindingResult().getAllErrors().stream()
                .map(error -> error instanceof FieldError field
                        ? new Violation("/" + field.getField().replace('.', '/'), field.getDefaultMessage())
                        : new Violation("", error.getDefaultMessage()))
                .toList();
        ProblemDetail problem = Problems.invalidRequest(violations);
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getType().toString().equals("about:blank")) {
            problem.setType(java.net.URI.create(Problems.TYPE_PREFIX + slug(statusCode)));
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private static String slug(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "http-" + status.value() : known.name().toLowerCase().replace('_', '-');
    }

    private static ResponseEntity<ProblemDetail> invalidRequest(List<Violation> violations, HttpServletRequest request) {
        return respond(Problems.invalidRequest(violations), new HttpHeaders(), request);
    }

    static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpHeaders headers, HttpServletRequest request) {
        if (problem.getInstance() == null) {
            problem.setInstance(java.net.URI.create(request.getRequestURI()));
        }
        return ResponseEntity.status(problem.getStatus())
                .headers(headers)
                .contentType(ProblemMediaType.of(request))
                .body(problem);
    }

    private static String lastNode(String propertyPath) {
        int dot = propertyPath.lastIndexOf('.');
        return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
    }
}
