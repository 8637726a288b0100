package dev.ghost.alerting.notify;

import java.net.URI;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes the Slack secrets (webhook URLs and their paths, the bot token) from any text that
 * could reach a log line or an API response, such as an exception message from the HTTP client.
 */
public final class Redactor {

    static final String MASK = "[redacted]";
    private final List<String> secrets;

    public Redactor(Collection<String> secrets) {
        Set<String> all = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret == null || secret.isBlank()) {
                continue;
            }
            all.add(secret);
            try {
                String path = URI.create(secret).getRawPath();
                if (path != null && path.length() > 1) {
                    all.add(path); // some clients quote the path without the host
                }
            } catch (IllegalArgumentException e) {
                // a token, not a URL
            }
        }
        this.secrets = all.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }
}
