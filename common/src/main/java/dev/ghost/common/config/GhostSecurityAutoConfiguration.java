package dev.ghost.common.config;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.session.web.http.HeaderHttpSessionIdResolver;
import org.springframework.session.web.http.HttpSessionIdResolver;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.problem.ProblemWriter;
import dev.ghost.common.problem.Problems;
import dev.ghost.common.security.ApiTokenStore;
import dev.ghost.common.session.JsonSessionSerializer;
import dev.ghost.common.session.TokenBoundSecurityContextRepository;
import dev.ghost.common.session.UnreadableSessions;
import dev.ghost.common.security.AuthController;
import dev.ghost.common.security.BearerTokenFilter;
import dev.ghost.common.security.GhostSecurityProperties;
import dev.ghost.common.web.RedisFailureFilter;
import dev.ghost.common.web.RedisProblemHandler;

/**
 * The security model of ARCHITECTURE.md, identical in every Redis-backed service: bearer API
 * tokens or a shared Redis session ({@code X-Auth-Token}); health and info public, everything
 * else authenticated; roles checked with {@code @PreAuthorize}; every refusal a problem+json.
 * The registry, which speaks HTTP basic to Eureka clients, turns it off
 * ({@code ghost.security.api-tokens=false}).
 */
@AutoConfiguration(after = {DataRedisAutoConfiguration.class, GhostWebAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({StringRedisTemplate.class, HeaderHttpSessionIdResolver.class})
@ConditionalOnProperty(name = "ghost.security.api-tokens", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(GhostSecurityProperties.class)
@EnableMethodSecurity
public class GhostSecurityAutoConfiguration {

    @Bean
    ApiTokenStore apiTokenStore(GhostSecurityProperties properties, StringRedisTemplate redis, JsonMapper json) {
        return new ApiTokenStore(properties, redis, json);
    }

    /**
     * No Spring Security observations: otherwise every filter of the chain is wrapped in one, on every
     * request, which cost more than a dedup hit's own work (the HTTP request's observation stays).
     */
    @Bean
    SecurityObservationSettings ghostSecurityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    HttpSessionIdResolver httpSessionIdResolver() {
        return HeaderHttpSessionIdResolver.xAuthToken();
    }

    @Bean
    SecurityContextRepository securityContextRepository(ApiTokenStore tokens) {
        return new DelegatingSecurityContextRepository(new RequestAttributeSecurityContextRepository(),
                new TokenBoundSecurityContextRepository(new HttpSessionSecurityContextRepository(), tokens));
    }

    /** Session values in Redis as typed JSON, never Java serialization (see {@link JsonSessionSerializer}). */
    @Bean
    RedisSerializer<Object> springSessionDefaultRedisSerializer(JsonMapper json) {
        return new JsonSessionSerializer(json);
    }

    @Bean
    static UnreadableSessions unreadableSessions() {
        return new UnreadableSessions();
    }

    @Bean
    AuthController authController(SecurityContextRepository contexts, ApiTokenStore tokens) {
        return new AuthController(contexts, tokens);
    }

    /** Created here, added to the security chain below; never registered as a servlet filter of its own. */
    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(ApiTokenStore tokens, ProblemWriter problems) {
        FilterRegistrationBean<BearerTokenFilter> registration =
                new FilterRegistrationBean<>(new BearerTokenFilter(tokens, problems));
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    RedisProblemHandler redisProblemHandler() {
        return new RedisProblemHandler();
    }

    @Bean
    FilterRegistrationBean<RedisFailureFilter> redisFailureFilter(ProblemWriter problems) {
        FilterRegistrationBean<RedisFailureFilter> registration = new FilterRegistrationBean<>(new RedisFailureFilter(problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    SecurityFilterChain ghostSecurityFilterChain(HttpSecurity http, GhostSecurityProperties properties,
            FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter, SecurityContextRepository contexts,
            ProblemWriter problems) throws Exception {
        http
                // Credentials travel in headers, never cookies, so cross-site request forgery has nothing to ride on.
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                // Sessions are opened only by POST /auth/session (an explicit save). Spring Security's session
                // management filter would otherwise store every bearer-authenticated request's context in a
                // brand-new Redis session (one per request, each kept for the session timeout).
                .sessionManagement(session -> session.disable())
                .securityContext(context -> context.securityContextRepository(contexts))
                .addFilterBefore(bearerTokenFilter.getFilter(), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/error").permitAll()
                        .requestMatchers(properties.publicPaths().toArray(String[]::new)).permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> {
                            boolean session = request.getHeader("X-Auth-Token") != null;
                            response.setHeader("WWW-Authenticate", "Bearer");
                            problems.write(request, response, Problems.of(HttpStatus.UNAUTHORIZED,
                                    session ? "session-expired" : "credential-required", "Unauthorized",
                                    session ? "The X-Auth-Token session is closed or expired; open a new one with POST /auth/session."
                                            : "Send 'Authorization: Bearer <token>' or an 'X-Auth-Token' session."));
                        })
                        .accessDeniedHandler((request, response, e) -> problems.write(request, response,
                                Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                                        "Your credential lacks the role this call needs."))));
        return http.build();
    }

    /**
     * Fail fast while Redis is unreachable instead of queueing commands for the whole timeout:
     * callers get a prompt 503 and health turns DOWN at once.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer ghostLettuceOptions() {
        return builder -> builder
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build());
    }
}
