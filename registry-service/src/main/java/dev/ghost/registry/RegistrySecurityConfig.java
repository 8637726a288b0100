package dev.ghost.registry;

import java.util.Locale;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

import dev.ghost.common.problem.ProblemWriter;
import dev.ghost.common.problem.Problems;

/**
 * Reading the registry needs any registry credential; registering, renewing, changing and
 * cancelling instances of an application needs that application's own credential (or the
 * administrator's); metrics a reader's (Prometheus) or the administrator's; everything else
 * (dashboard, peer replication) the administrator's. Health and info stay public.
 */
@Configuration
@EnableConfigurationProperties(RegistryProperties.class)
class RegistrySecurityConfig {

    @Bean
    RegistryCredentials registryCredentials(RegistryProperties properties) {
        return new RegistryCredentials(properties);
    }

    @Bean
    SecurityFilterChain registrySecurity(HttpSecurity http, RegistryCredentials credentials, ProblemWriter problems) throws Exception {
        http
                // Eureka clients post without CSRF tokens; basic auth in a header carries no ambient authority.
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authenticationManager(new ProviderManager(credentials))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/error").permitAll()
                        // Prometheus scrapes the registry with its reader credential (the registry is in no registry)
                        .requestMatchers(HttpMethod.GET, "/actuator/prometheus").hasAnyRole(RegistryCredentials.ADMIN,
                                RegistryCredentials.READER)
                        .requestMatchers(HttpMethod.GET, "/eureka/**").hasAnyRole(RegistryCredentials.ADMIN,
                                RegistryCredentials.CLIENT, RegistryCredentials.READER)
                        .requestMatchers("/eureka/apps/{app}", "/eureka/apps/{app}/**").access(ownApplication())
                        .anyRequest().hasRole(RegistryCredentials.ADMIN))
                .httpBasic(basic -> basic.authenticationEntryPoint((request, response, e) -> {
                    response.setHeader("WWW-Authenticate", "Basic realm=\"GHOST registry\"");
                    problems.write(request, response, Problems.of(HttpStatus.UNAUTHORIZED, "credential-required",
                            "Unauthorized", "The registry needs a registry credential (HTTP basic)."));
                }))
                .exceptionHandling(errors -> errors.accessDeniedHandler((request, response, e) -> problems.write(request, response,
                        Problems.of(HttpStatus.FORBIDDEN, "not-your-application", "Forbidden",
                                "This registry credential may not change that application's instances."))));
        return http.build();
    }

    /** The administrator, or the client credential of exactly the application in the path. */
    private static AuthorizationManager<RequestAuthorizationContext> ownApplication() {
        return (authentication, context) -> {
            String app = context.getVariables().getOrDefault("app", "").toUpperCase(Locale.ROOT);
            boolean allowed = authentication.get().getAuthorities().stream().anyMatch(authority ->
                    authority.getAuthority().equals("ROLE_" + RegistryCredentials.ADMIN)
                            || authority.getAuthority().equals(RegistryCredentials.APP_PREFIX + app));
            return new AuthorizationDecision(allowed);
        };
    }
}
