package dev.ghost.relay.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.http.HttpStatus;

import dev.ghost.common.problem.GhostProblemException;

/**
 * Checks {@code X-Ghost-Signature: v1=<hex HMAC-SHA256 of "v1:" + timestamp + ":" + raw body>} (the
 * scheme Slack and Stripe use: the timestamp is signed, so a captured delivery cannot be replayed
 * under a fresh one) against every active secret, in constant time, and {@code X-Ghost-Timestamp}
 * (Unix seconds) against the allowed skew. The old body-only scheme ({@code sha256=}) is refused.
 * Answers the name of the secret that signed; anything else is a 401 problem that says what was
 * wrong but never echoes a signature or hints at a secret.
 */
public class WebhookVerifier {

    private static final Pattern SIGNATURE = Pattern.compile("v1=([0-9a-fA-F]{64})");
    private static final Pattern SECONDS = Pattern.compile("\\d{1,12}");

    private final Map<String, byte[]> secrets = new LinkedHashMap<>();
    private final WebhookProperties properties;
    private final Clock clock;

    public WebhookVerifier(WebhookProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        for (WebhookProperties.Secret secret : properties.secrets()) {
            if (secret.name() == null || !secret.name().matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalStateException("ghost.relay.webhooks.secrets: each secret needs a name of 1-64 letters, digits, . _ -");
            }
            if (secret.secret() == null || secret.secret().length() < WebhookProperties.MIN_SECRET_LENGTH) {
                throw new IllegalStateException("ghost.relay.webhooks.secrets '" + secret.name() + "': the secret must have at least "
                        + WebhookProperties.MIN_SECRET_LENGTH + " characters");
            }
            secrets.put(secret.name(), secret.secret().getBytes(StandardCharsets.UTF_8));
        }
    }

    public boolean enabled() {
        return !secrets.isEmpty();
    }

    /** The timestamp in seconds, once it is known to be well-formed and inside the window. */
    public long checkTimestamp(String header) {
        if (header == null || header.isBlank()) {
            throw unauthorized("webhook-timestamp-missing", "X-Ghost-Timestamp (Unix time in seconds) is required.");
        }
        if (!SECONDS.matcher(header.strip()).matches()) {
            throw unauthorized("webhook-timestamp-invalid", "X-Ghost-Timestamp must be Unix time in whole seconds.");
        }
        long seconds = Long.parseLong(header.strip());
        long skew = Math.abs(Instant.now(clock).getEpochSecond() - seconds);
        if (skew > properties.tolerance().toSeconds()) {
            throw unauthorized("webhook-timestamp-stale", "X-Ghost-Timestamp is " + skew + " s from the relay's clock; at most "
                    + properties.tolerance().toSeconds() + " s are accepted. Sign and send it again now.");
        }
        return seconds;
    }

    /** The name of the secret that signed {@code timestamp} and {@code body}. */
    public String checkSignature(String header, long timestamp, byte[] body) {
        if (header == null || header.isBlank()) {
            throw unauthorized("webhook-signature-missing",
                    "X-Ghost-Signature: v1=<hex HMAC-SHA256 of \"v1:<timestamp>:<raw body>\"> is required.");
        }
        if (header.strip().startsWith("sha256=")) {
            throw unauthorized("webhook-signature-scheme-retired", "Signatures over the body alone (sha256=) are no longer"
                    + " accepted: sign \"v1:<X-Ghost-Timestamp>:<raw body>\" and send X-Ghost-Signature: v1=<hex>.");
        }
        var matcher = SIGNATURE.matcher(header.strip());
        if (!matcher.matches()) {
            throw unauthorized("webhook-signature-invalid", "X-Ghost-Signature must be v1= followed by 64 hex digits.");
        }
        byte[] signed = signedText(timestamp, body);
        byte[] claimed = HexFormat.of().parseHex(matcher.group(1).toLowerCase());
        Optional<String> signer = Optional.empty();
        for (Map.Entry<String, byte[]> secret : secrets.entrySet()) {
            // every secret is tried, whether or not one already matched: the time taken says nothing
            if (MessageDigest.isEqual(hmac(secret.getValue(), signed), claimed) && signer.isEmpty()) {
                signer = Optional.of(secret.getKey());
            }
        }
        return signer.orElseThrow(() -> unauthorized("webhook-signature-invalid",
                "The signature does not match the body under any active secret."));
    }

    private static byte[] signedText(long timestamp, byte[] body) {
        byte[] prefix = ("v1:" + timestamp + ":").getBytes(StandardCharsets.UTF_8);
        byte[] text = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, text, 0, prefix.length);
        System.arraycopy(body, 0, text, prefix.length, body.length);
        return text;
    }

    static byte[] hmac(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static GhostProblemException unauthorized(String slug, String detail) {
        return new GhostProblemException(HttpStatus.UNAUTHORIZED, slug, "Unauthorized", detail);
    }
}
