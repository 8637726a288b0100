package dev.ghost.common.test;

import java.util.LinkedHashMap;
import java.util.Map;

/** Credentials every test stack is configured with, one per role. */
public final class TestTokens {

    public static final String ADMIN = "test-admin-token-0123456789abcdef";
    public static final String SERVICE = "test-service-token-0123456789abcdef";
    public static final String SUBMIT = "test-submit-token-0123456789abcdef";
    public static final String READ = "test-read-token-0123456789abcdef";
    /** The HMAC key of issued tokens. */
    public static final String TOKEN_KEY = "test-token-key-0123456789abcdef0123456789";

    /** SHA-256 of {@link #SUBMIT} and {@link #READ}, constants so annotations can use them; TestTokensTest checks them. */
    public static final String SUBMIT_SHA256 = "317517b6023ffe33a7b413081fd099da899fda51005ae965e7f5917c83ceb828";
    public static final String READ_SHA256 = "3a7b8ba36583b1f1f25589bb8561c5cb0bb8fdbbd095db520e83107081bb58ba";

    private TestTokens() {
    }

    /** The properties that configure these tokens (SUBMIT and READ by hash, as an operator would). */
    public static Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("ghost.security.admin-token", ADMIN);
        properties.put("ghost.security.service-token", SERVICE);
        properties.put("ghost.security.token-keys", TOKEN_KEY);
        properties.put("ghost.security.tokens[0].name", "submitter");
        properties.put("ghost.security.tokens[0].sha256", SUBMIT_SHA256);
        properties.put("ghost.security.tokens[0].roles", "SUBMIT");
        properties.put("ghost.security.tokens[1].name", "reader");
        properties.put("ghost.security.tokens[1].sha256", READ_SHA256);
        properties.put("ghost.security.tokens[1].roles", "READ");
        return properties;
    }
}
