package dev.ghost.common.config;

import java.io.IOException;
import java.security.GeneralSecurityException;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.configuration.TlsProperties;
import org.springframework.cloud.netflix.eureka.EurekaClientConfigBean;
import org.springframework.cloud.netflix.eureka.config.DiscoveryClientOptionalArgsConfiguration;
import org.springframework.cloud.netflix.eureka.http.EurekaClientHttpRequestFactorySupplier;
import org.springframework.cloud.netflix.eureka.http.RestClientDiscoveryClientOptionalArgs;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.support.BasicAuthenticationInterceptor;
import org.springframework.web.client.RestClient;

/**
 * Each service signs in to the registry with its own credential ({@link GhostDiscoveryProperties}),
 * sent as a header on the Eureka client's own RestClient. Never inside the service URL: Eureka's
 * clients log those URLs, so a credential in one would reach the logs.
 */
@AutoConfiguration(before = DiscoveryClientOptionalArgsConfiguration.class)
@ConditionalOnClass(RestClientDiscoveryClientOptionalArgs.class)
@ConditionalOnProperty(name = "eureka.client.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "eureka.client.jersey.enabled", havingValue = "false")
@EnableConfigurationProperties(GhostDiscoveryProperties.class)
public class GhostDiscoveryAutoConfiguration {

    @Bean
    RestClientDiscoveryClientOptionalArgs restClientDiscoveryClientOptionalArgs(EurekaClientHttpRequestFactorySupplier requests,
            TlsProperties tls, GhostDiscoveryProperties credential, EurekaClientConfigBean eurekaClient)
            throws GeneralSecurityException, IOException {
        if (!eurekaClient.isRegisterWithEureka() && !eurekaClient.isFetchRegistry()) {
            // a lone registry: its client never calls out, so it needs no credential
            return new RestClientDiscoveryClientOptionalArgs(requests, RestClient::builder);
        }
        String user = credential.user();
        String password = credential.password();
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
