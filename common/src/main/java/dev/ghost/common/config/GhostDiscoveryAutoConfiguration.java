package dev.ghost.common.config;

import java.io.IOException;
import java.security.GeneralSecurityException;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.configuration.TlsProperties;
import org.springframework.cloud.netflix.eureka.config.DiscoveryClientOptionalArgsConfiguration;
import org.springframework.cloud.netflix.eureka.http.EurekaClientHttpRequestFactorySupplier;
import org.springframework.cloud.netflix.eureka.http.RestClientDiscoveryClientOptionalArgs;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.client.support.BasicAuthenticationInterceptor;
import org.springframework.web.client.RestClient;

/**
 * Each service signs in to the registry with its own credential ({@code ghost.discovery.user},
 * default the application name, and {@code ghost.discovery.password}, env
 * {@code EUREKA_CLIENT_PASSWORD}), sent as a header on the Eureka client's own RestClient. Never
 * inside the service URL: Eureka's clients log those URLs, so a credential in one would reach the logs.
 */
@AutoConfiguration(before = DiscoveryClientOptionalArgsConfiguration.class)
@ConditionalOnClass(RestClientDiscoveryClientOptionalArgs.class)
@ConditionalOnProperty(name = "eureka.client.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "eureka.client.register-with-eureka", matchIfMissing = true)
public class GhostDiscoveryAutoConfiguration {

    @Bean
    RestClientDiscoveryClientOptionalArgs restClientDiscoveryClientOptionalArgs(EurekaClientHttpRequestFactorySupplier requests,
            TlsProperties tls, Environment environment) throws GeneralSecurityException, IOException {
        String user = environment.getProperty("ghost.discovery.user", environment.getProperty("spring.application.name", ""));
        String password = environment.getProperty("ghost.discovery.password", "");
        if (user.isBlank() || password.isBlank()) {
            throw new MissingCredentialsException("No registry credential is configured for '" + user + "'.",
                    "Set EUREKA_CLIENT_PASSWORD to this service's registry password (./ghost up generates one per service),"
                            + " or turn discovery off (eureka.client.enabled=false).");
        }
        RestClientDiscoveryClientOptionalArgs args = new RestClientDiscoveryClientOptionalArgs(requests,
                () -> RestClient.builder().requestInterceptor(new BasicAuthenticationInterceptor(user, password)));
        DiscoveryClientOptionalArgsConfiguration.setupTLS(args, tls);
        return args;
    }
}
