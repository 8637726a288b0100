package dev.ghost.common.problem;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * The media type a problem document is sent as: {@code application/problem+json} (RFC 9457), unless
 * the client said it accepts only plain {@code application/json} — generated API clients such as
 * amtool's (Alertmanager's Go client) read nothing else — then the same document as {@code application/json}.
 */
public final class ProblemMediaType {

    private ProblemMediaType() {
    }

    public static MediaType of(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null || accept.isBlank()) {
            return MediaType.APPLICATION_PROBLEM_JSON;
        }
        try {
            List<MediaType> accepted = MediaType.parseMediaTypes(accept);
            boolean problem = accepted.stream().anyMatch(type -> type.includes(MediaType.APPLICATION_PROBLEM_JSON));
            boolean json = accepted.stream().anyMatch(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON));
            return !problem && json ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_PROBLEM_JSON;
        } catch (InvalidMediaTypeException e) {
            return MediaType.APPLICATION_PROBLEM_JSON;
        }
    }
}
