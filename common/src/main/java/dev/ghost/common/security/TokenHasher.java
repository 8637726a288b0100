package dev.ghost.common.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.ghost.common.config.MissingCredentialsException;

/**
 * Issued tokens are kept in Redis only as {@code HMAC-SHA256(server key, token)}: a store (or a
 * writer to it) without the key, which comes from the secrets and never from Redis, can neither
 * recover a token nor forge a record that authenticates one. Keys rotate: the first signs new
 * tokens, every one is accepted when looking a token up.
 */
public final class TokenHasher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALGORITHM = "HmacSHA256";

    private final List<SecretKeySpec> keys;

    public TokenHasher(List<String> keys) {
        this.keys = keys.stream().filter(key -> key != null && !key.isBlank())
                .map(key -> new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM)).toList();
        if (this.keys.isEmpty()) {
            throw new MissingCredentialsException("No token key is configured: issued API tokens cannot be stored safely.",
                    "Set GHOST_TOKEN_KEY to a long random secret (./ghost up and compose's secrets-init generate one);"
                            + " during a rotation put the previous one in GHOST_TOKEN_KEY_PREVIOUS.");
        }
    }

    /** The record key of a token issued now (current key). */
    public String hash(String token) {
        return hash(keys.get(0), token);
    }

    /** The record keys a token may have been issued under, current key first. */
    public List<String> candidates(String token) {
        return keys.stream().map(key -> hash(key, token)).toList();
    }

    private static String hash(SecretKeySpec key, String token) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JRE ships HmacSHA256", e);
        }
    }

    /** 256 random bits, URL-safe, prefixed so a leaked token is recognisable in secret scanners. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "ghost_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
