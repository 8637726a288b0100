package dev.ghost.health.dashboard;

import java.util.List;
import java.util.function.Function;

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
 * not registered, not answering, without the endpoint yet or answering in a shape the dashboard
 * does not know becomes an honest "unavailable" with the reason.
 */
public class UpstreamClient {

    private static final Logger log = LoggerFactory.getLogger(UpstreamClient.class);

    private final RestClient client;

    public UpstreamClient(RestClient client) {
        this.client = client;
    }

    public <T> DashboardFeeds.Feed<T> get(String service, String pathAndQuery, HttpServletRequest caller,
            Function<JsonNode, List<T>> read) {
        String path = pathAndQuery.split("\\?")[0];
        JsonNode body;
        try {
            body = client.get().uri("http://" + service + pathAndQuery)
                    .headers(headers -> forwardCredential(caller, headers))
                    .retrieve()
                    .body(JsonNode.class);
        } catch (RestClientResponseException e) {
            return DashboardFeeds.Feed.unavailable(service, switch (e.getStatusCode().value()) {
                case 404 -> service + " does not offer " + path + " (yet)";
                case 401, 403 -> service + " refused your credential (" + e.getStatusCode().value() + ")";
                default -> service + " answered " + e.getStatusCode().value();
            });
        } catch (RuntimeException e) {
            log.debug("{}{} unavailable: {}", service, pathAndQuery, e.toString());
            return DashboardFeeds.Feed.unavailable(service, e.getMessage() != null && e.getMessage().startsWith("No instances available")
                    ? "no instance of " + service + " is registered"
                    : service + " is unreachable");
        }
        try {
            return DashboardFeeds.Feed.of(service, read.apply(body));
        } catch (RuntimeException e) {
            log.warn("{}{} answered in a shape the dashboard does not read: {}", service, path, e.getMessage());
            return DashboardFeeds.Feed.unavailable(service, service + " " + path + " answered in an unknown shape (" + e.getMessage() + ")");
        }
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
