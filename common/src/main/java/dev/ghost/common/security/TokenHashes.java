package dev.ghost.common.security;

import java.security.SecureRandom;
import java.util.Base64;

import dev.ghost.common.patch.CanonicalJson;

/** Tokens are kept only as SHA-256 hashes; a leaked store or log reveals no usable credential. */
public final class TokenHashes {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenHashes() {
    }

    public static String hash(String token) {
        return CanonicalJson.sha256Hex(token);
    }

    /** 256 random bits, URL-safe, prefixed so a leaked token is recognisable in secret scanners. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "ghost_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
