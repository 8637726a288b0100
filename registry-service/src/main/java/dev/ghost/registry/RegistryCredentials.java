package dev.ghost.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;

import dev.ghost.common.config.MissingCredentialsException;

/**
 * The registry's credentials: the administrator, one client credential per application, and
 * read-only ones. An authenticated client carries the authority {@code APP_<NAME>} of the only
 * application it may write.
 */
class RegistryCredentials implements AuthenticationProvider {

    static final String ADMIN = "ADMIN";
    static final String CLIENT = "CLIENT";
    static final String READER = "READER";
    static final String APP_PREFIX = "APP_";

    private record Credential(String user, byte[] password, List<String> authorities) {
    }

    private final List<Credential> credentials = new ArrayList<>();

    RegistryCredentials(RegistryProperties properties) {
        if (properties.password().isBlank()) {
            throw new MissingCredentialsException("No registry password is configured, and GHOST refuses to run an open registry.",
                    "Set EUREKA_PASSWORD and one password per service (./ghost up generates them).");
        }
        add(properties.user(), properties.password(), "ROLE_" + ADMIN);
        properties.clients().forEach((app, password) -> add(app, password, "ROLE_" + CLIENT, APP_PREFIX + app.toUpperCase(Locale.ROOT)));
        properties.readers().forEach((name, password) -> add(name, password, "ROLE_" + READER));
    }

    private void add(String user, String password, String... authorities) {
        if (password != null && !password.isBlank()) {
            credentials.add(new Credential(user, password.getBytes(StandardCharsets.UTF_8), List.of(authorities)));
        }
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String user = authentication.getName();
        byte[] offered = String.valueOf(authentication.getCredentials()).getBytes(StandardCharsets.UTF_8);
        for (Credential credential : credentials) {
            if (credential.user().equals(user) && MessageDigest.isEqual(credential.password(), offered)) {
                return UsernamePasswordAuthenticationToken.authenticated(user, null,
                        AuthorityUtils.createAuthorityList(credential.authorities()));
            }
        }
        throw new BadCredentialsException("unknown registry credential");
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
