package dev.ghost.common.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The OpenAPI description and Swagger UI, usable by a person with a browser: the UI page and
 * {@code /v3/api-docs} are public (they describe the API, they hold no data), and the description
 * declares GHOST's two credentials, so Swagger UI's "Authorize" button takes a token (or a session
 * id) and sends it with every "Try it out". The API calls themselves still need that credential.
 */
@AutoConfiguration(before = GhostSecurityAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SpringDocConfigProperties.class)
@ConditionalOnProperty(name = "ghost.security.api-tokens", havingValue = "true", matchIfMissing = true)
public class GhostApiDocsAutoConfiguration {

    /** Scheme names as the description (and Swagger UI's Authorize dialog) shows them. */
    public static final String BEARER = "bearer";
    public static final String SESSION = "session";

    @Bean
    @ConditionalOnMissingBean(OpenAPI.class)
    OpenAPI ghostOpenApi(GhostInstance instance, ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI()
                .info(new Info().title("GHOST " + instance.service())
                        .version(properties != null ? properties.getVersion() : "unknown")
                        .description("Every call needs a credential: an API token (Authorize → bearer) or a session id from "
                                + "POST /auth/session (Authorize → session). Errors are RFC 9457 application/problem+json."))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("A GHOST API token (./ghost up prints the dev admin token)"))
                        .addSecuritySchemes(SESSION, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-Auth-Token")
                                .description("A session id from POST /auth/session; good at every GHOST service")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER))
                .addSecurityItem(new SecurityRequirement().addList(SESSION));
    }

    /**
     * Only the documentation's own paths, read-only, before GHOST's main chain: no credential needed
     * to read how the API works.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 50)
    SecurityFilterChain ghostApiDocsFilterChain(HttpSecurity http, SpringDocConfigProperties springDoc,
            ObjectProvider<SwaggerUiConfigProperties> swaggerUiSettings) throws Exception {
        String apiDocs = springDoc.getApiDocs().getPath();
        SwaggerUiConfigProperties swaggerUiConfig = swaggerUiSettings.getIfAvailable();
        String swaggerUi = swaggerUiConfig != null ? swaggerUiConfig.getPath() : "/swagger-ui.html";
        http.securityMatcher(request -> HttpMethod.GET.matches(request.getMethod())
                        && (path(request).equals(swaggerUi) || path(request).startsWith("/swagger-ui/")
                                || path(request).equals(apiDocs) || path(request).startsWith(apiDocs + "/")))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.disable())
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        return http.build();
    }

    private static String path(jakarta.servlet.http.HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
