package dev.ghost.health.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.JsonNode;

/**
 * Fetches what the dashboard shows from other GHOST services, found through Eureka
 * ({@code http://<service>/...}, load-balanced), as the signed-in user: the caller's session or
 * token is passed on, so nobody sees more there than they may. Never fails: an upstream that is
 * not registered, not answering or without the endpoint yet becomes an honest "unavailable".
 */
public class UpstreamClient {

    private static final Logger log = LoggerFactory.getLogger(UpstreamClient.class);

    private final RestClient client;

    public UpstreamClient(RestClient client) {
        this.client = client;
    }

    public Map<String, Object> get(String service, String pathAndQuery, HttpServletRequest caller) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("source", service);
        try {
            JsonNode body = client.get().uri("http://" + service + pathAndQuery)
                    .headers(headers -> forwardCredential(caller, headers))
                    .retrieve()
                    .body(JsonNode.class);
            answer.put("available", true);
            answer.put("items", body);
        } catch (RestClientResponseException e) {
            answer.put("available", false);
            answer.put("reason", switch (e.getStatusCode().value()) {
                case 404 -> service + " does not offer " + pathAndQuery.split("\\?")[0] + " (yet)";
                case 401, 403 -> service + " refused your credential (" + e.getStatusCode().value() + ")";
                default -> service + " answered " + e.getStatusCode().value();
            });
        } catch (RuntimeException e) {
            log.debug("{}{} unavailable: {}", service, pathAndQuery, e.toString());
            answer.put("available", false);
            answer.put("reason", e.getMessage() != null && e.getMessage().startsWith("No instances available")
                    ? "no instance of " + service + " is registered"
                    : service + " is unreachable");
        }
        return answer;
    }

    private static void forwardCredential(HttpServletRequest caller, HttpHeaders headers) {
        String session = caller.getHeader("X-Auth-Token");
        String authorization = caller.getHeader(HttpHeaders.AUTHORIZATION);
        if (session != null) {
            headers.set("X-Auth-Token", session);
        } else if (authorization != null) {
            headers.set(HttpHeaders.AUTHORIZATION, authorization);
        }
        headers.set(HttpHeaders.ACCEPT, "application/json");
    }
}
