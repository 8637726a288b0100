package dev.ghost.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.netflix.discovery.Jersey3DiscoveryClientOptionalArgs;
import jakarta.ws.rs.client.ClientRequestFilter;
import org.springframework.cloud.netflix.eureka.server.ReplicationClientAdditionalFilters;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Peers replicate to each other, and read each other's registry when they start, as the
 * registry's administrator, with the credential in a header: Eureka would otherwise take it from
 * the userinfo of each peer's URL, which it logs.
 */
@Configuration(proxyBeanMethods = false)
class PeerReplicationConfig {

    @Bean
    ClientRequestFilter administratorSignIn(RegistryProperties properties) {
        String authorization = "Basic " + Base64.getEncoder()
                .encodeToString((properties.user() + ":" + properties.password()).getBytes(StandardCharsets.UTF_8));
        return request -> request.getHeaders().putSingle("Authorization", authorization);
    }

    @Bean
    ReplicationClientAdditionalFilters replicationClientAdditionalFilters(ClientRequestFilter administratorSignIn) {
        return new ReplicationClientAdditionalFilters(List.of(administratorSignIn));
    }

    @Bean
    Jersey3DiscoveryClientOptionalArgs jersey3DiscoveryClientOptionalArgs(ClientRequestFilter administratorSignIn) {
        Jersey3DiscoveryClientOptionalArgs args = new Jersey3DiscoveryClientOptionalArgs();
        args.setAdditionalFilters(List.of(administratorSignIn));
        return args;
    }
}
