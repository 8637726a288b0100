package dev.ghost.relay.webhook;

import java.time.Duration;
import java.util.EnumSet;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.ghost.common.patch.CanonicalJson;
import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.security.GhostPrincipal;
import dev.ghost.common.security.Role;
import dev.ghost.relay.RelayKeys;
import dev.ghost.relay.patch.PatchProxyController;
import dev.ghost.relay.patch.RunnerGateway;

/**
 * {@code POST /webhooks/patches}: a patch from a system that signs instead of holding a token (a
 * CI job, a Git host). Public for bearer auth, authenticated by its signature; once verified it is
 * submitted exactly like {@code POST /relay/patches}, and the runner's answer is the answer.
 */
@RestController
public class WebhookController {

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

    private final WebhookVerifier verifier;
    private final RunnerGateway runners;
    private final StringRedisTemplate redis;
    private final Duration replayWindow;

    public WebhookController(WebhookVerifier verifier, RunnerGateway runners, StringRedisTemplate redis,
            WebhookProperties properties) {
        this.verifier = verifier;
        this.runners = runners;
        this.redis = redis;
        this.replayWindow = properties.tolerance().multipliedBy(2);
    }

    @PostMapping("/webhooks/patches")
    public ResponseEntity<byte[]> patch(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        byte[] raw = body == null ? new byte[0] : body;
        String timestamp = request.getHeader("X-Ghost-Timestamp");
        String signature = request.getHeader("X-Ghost-Signature");
        long seconds = verifier.checkTimestamp(timestamp);
        String signer;
        try {
            signer = verifier.checkSignature(signature, seconds, raw);
        } catch (GhostProblemException e) {
            log.warn("Refused a webhook from {}: {}", request.getRemoteAddr(), e.slug());
            throw e;
        }
        // A pair seen inside the window is a replay; remembered a little past the window, then forgotten.
        String seen = RelayKeys.webhookSeen(CanonicalJson.sha256Hex(
                timestamp.strip() + ":" + signature.strip().toLowerCase()));
        if (!Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(seen, signer, replayWindow))) {
            log.warn("Refused a replayed webhook signed by {}", signer);
            throw new GhostProblemException(HttpStatus.CONFLICT, "webhook-replayed", "Webhook replayed",
                    "This timestamp and signature were already accepted; sign a new delivery with a fresh timestamp.");
        }
        boolean delivered = false;
        try {
            // a verified webhook may submit, and only that: principal webhook:<name of the secret that signed>
            RunnerGateway.Upstream answer = runners.submit(raw, new RunnerGateway.Caller(
                    new GhostPrincipal("webhook:" + signer, EnumSet.of(Role.SUBMIT))));
            delivered = answer.status() < 500;
            log.info("Webhook signed by {} submitted: runner answered {}", signer, answer.status());
            return PatchProxyController.relay(answer);
        } finally {
            if (!delivered) {
                redis.delete(seen); // nothing was accepted, so the sender may retry the same delivery
            }
        }
    }
}
