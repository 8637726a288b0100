package dev.ghost.remediation.slack;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * Replies to the one who clicked, through the interaction's {@code response_url} (an ephemeral
 * message: only they see it). Only URLs under the configured prefix (Slack's own hooks) are called,
 * and only for verified requests. The URL is never logged (it is a capability).
 */
public class SlackResponder {

    private static final Logger log = LoggerFactory.getLogger(SlackResponder.class);

    private final RestClient http;
    private final String prefix;

    public SlackResponder(RestClient http, String prefix) {
        this.http = http;
        this.prefix = prefix;
    }

    public void ephemeral(String responseUrl, String text) {
        if (responseUrl == null || !responseUrl.startsWith(prefix)) {
            log.warn("Not replying to a response URL outside {}", prefix);
            return;
        }
        try {
            http.post().uri(java.net.URI.create(responseUrl)).contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("response_type", "ephemeral", "replace_original", false, "text", text))
                    .retrieve().toBodilessEntity();
        } catch (RuntimeException e) {
            log.warn("Reply to Slack failed: {}", e.getClass().getSimpleName());
        }
    }
}
