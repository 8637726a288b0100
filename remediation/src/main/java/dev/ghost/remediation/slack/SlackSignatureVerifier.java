package dev.ghost.remediation.slack;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signing (v0): {@code X-Slack-Signature} is {@code v0=} and the hex HMAC-SHA256,
 * under the app's signing secret, of {@code v0:<X-Slack-Request-Timestamp>:<raw body>}; a timestamp
 * further than the tolerance from the clock is refused, so a captured request cannot be sent later
 * (within the window, the replay cache refuses it). Compared in constant time.
 */
public final class SlackSignatureVerifier {

    /** Why a request was refused; the message never quotes the signature or the secret. */
    public static final class Refused extends RuntimeException {

        private final String slug;

        Refused(String slug, String message) {
            super(message);
            this.slug = slug;
        }

        public String slug() {
            return slug;
        }
    }

    private final byte[] secret;
    private final Duration tolerance;

    public SlackSignatureVerifier(String signingSecret, Duration tolerance) {
        this.secret = signingSecret.getBytes(StandardCharsets.UTF_8);
        this.tolerance = tolerance;
    }

    /** Returns normally when the request is Slack's and fresh; throws {@link Refused} otherwise. */
    public void verify(String timestamp, String signature, byte[] body, Instant now) {
        if (secret.length == 0) {
            throw new Refused("slack-not-configured", "Slack interactivity is not configured here (no signing secret).");
        }
        if (timestamp == null || signature == null) {
            throw new Refused("slack-signature-missing", "X-Slack-Request-Timestamp and X-Slack-Signature are required.");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw new Refused("slack-timestamp-invalid", "X-Slack-Request-Timestamp must be Unix time in seconds.");
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            throw new Refused("slack-timestamp-stale", "The request's timestamp is more than " + tolerance.toMinutes()
                    + " minutes from this server's clock: refused (a replay, or a clock to fix).");
        }
        if (!signature.startsWith("v0=")) {
            throw new Refused("slack-signature-invalid", "X-Slack-Signature must be a v0 signature.");
        }
        byte[] expected = sign(timestamp.strip(), body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.strip().getBytes(StandardCharsets.US_ASCII))) {
            throw new Refused("slack-signature-invalid", "X-Slack-Signature does not match the body under the signing secret.");
        }
    }

    String sign(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
