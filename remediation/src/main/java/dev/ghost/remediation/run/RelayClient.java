package dev.ghost.remediation.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.security.CallerHeaders;
import dev.ghost.common.security.GhostPrincipal;

/**
 * Patches through the relay (found through Eureka, load-balanced), with this service's own SERVICE
 * credential and the identity of whoever the run is for ({@link CallerHeaders}): the relay checks that
 * caller's roles, and the runner records them as the submitter. No one's token is ever passed on.
 */
public class RelayClient {

    /** The relay's answer: its status and body (a patch record, or a problem). */
    public record Answer(int status, JsonNode body) {

        public boolean accepted() {
            return status == 200 || status == 202;
        }

        public String problem() {
            if (body == null) {
                return "HTTP " + status;
            }
            String detail = body.path("detail").asString("");
            StringBuilder out = new StringBuilder("HTTP " + status + (detail.isEmpty() ? "" : ": " + detail));
            for (JsonNode violation : body.path("violations")) {
                out.append("; ").append(violation.path("pointer").asString("")).append(' ').append(violation.path("message").asString(""));
            }
            return out.toString();
        }
    }

    private final RestClient relay;
    private final String serviceAuthorization;
    private final JsonMapper json;

    public RelayClient(RestClient relay, String serviceToken, JsonMapper json) {
        this.relay = relay;
        this.serviceAuthorization = "Bearer " + serviceToken;
        this.json = json;
    }

    /** Submits a patch for {@code caller}; a relay that cannot be reached throws. */
    public Answer submit(JsonNode patch, GhostPrincipal caller) {
        byte[] body = json.writeValueAsBytes(patch);
        return call(() -> relay.post().uri("/relay/patches").contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> credential(headers, caller)).body(body)
                .exchange((request, response) -> answer(response.getStatusCode().value(), response.getBody().readAllBytes())));
    }

    /** A patch's record as the relay has it (empty when unknown). */
    public Optional<JsonNode> record(String patchId) {
        Answer answer = call(() -> relay.get().uri("/relay/patches/{id}", patchId)
                .headers(headers -> headers.set(HttpHeaders.AUTHORIZATION, serviceAuthorization))
                .exchange((request, response) -> answer(response.getStatusCode().value(), response.getBody().readAllBytes())));
        return answer.status() == 200 ? Optional.ofNullable(answer.body()) : Optional.empty();
    }

    private Answer answer(int status, byte[] body) {
        try {
            return new Answer(status, body.length == 0 ? null : json.readTree(body));
        } catch (RuntimeException unreadable) {
            return new Answer(status, json.createObjectNode().put("detail", new String(body, StandardCharsets.UTF_8)));
        }
    }

    private void credential(HttpHeaders headers, GhostPrincipal caller) {
        headers.set(HttpHeaders.AUTHORIZATION, serviceAuthorization);
        headers.set(CallerHeaders.NAME, CallerHeaders.encodeName(caller));
        headers.set(CallerHeaders.ROLES, CallerHeaders.encodeRoles(caller));
    }

    private interface Call {
        Answer run() throws IOException;
    }

    private static Answer call(Call call) {
        try {
            return call.run();
        } catch (IOException | RestClientException | IllegalStateException | IllegalArgumentException e) {
            throw new RelayUnavailableException("the relay cannot be reached: " + e.getClass().getSimpleName(), e);
        }
    }

    /** No relay instance answered. */
    public static final class RelayUnavailableException extends RuntimeException {

        public RelayUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
