package dev.ghost.registry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import dev.ghost.common.config.MissingCredentialsException;
import dev.ghost.common.problem.ProblemWriter;
import dev.ghost.common.problem.Problems;

/**
 * Registration and the dashboard need the Eureka credentials (HTTP basic); health and info stay
 * public. Refuses to start without a password rather than run an open registry.
 */
@Configuration
class RegistrySecurityConfig {

    @Bean
    UserDetailsService eurekaUsers(@Value("${ghost.registry.user}") String user,
            @Value("${ghost.registry.password:}") String password) {
        if (password.isBlank()) {
            throw new MissingCredentialsException("No registry password is configured, and GHOST refuses to run an open registry.",
                    "Set EUREKA_PASSWORD (./ghost up generates one).");
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(User.withUsername(user)
                .password(encoder.encode(password))
                .roles("EUREKA")
                .build());
    }

    @Bean
    SecurityFilterChain registrySecurity(HttpSecurity http, ProblemWriter problems) throws Exception {
        http
                // Eureka clients post without CSRF tokens; basic auth in a header carries no ambient authority.
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/error").permitAll()
                        .anyRequest().hasRole("EUREKA"))
                .httpBasic(basic -> basic.authenticationEntryPoint((request, response, e) -> {
                    response.setHeader("WWW-Authenticate", "Basic realm=\"GHOST registry\"");
                    problems.write(request, response, Problems.of(HttpStatus.UNAUTHORIZED, "credential-required",
                            "Unauthorized", "The registry needs the Eureka user and password (HTTP basic)."));
                }));
        return http.build();
    }
}
