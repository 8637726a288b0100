package dev.ghost.relay.webhook;

import java.time.Clock;

import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
public class WebhookConfiguration {

    @Bean
    WebhookVerifier webhookVerifier(WebhookProperties properties) {
        WebhookVerifier verifier = new WebhookVerifier(properties, Clock.systemUTC());
        if (!verifier.enabled()) {
            LoggerFactory.getLogger(WebhookConfiguration.class)
                    .warn("No webhook secret configured (ghost.relay.webhooks.secrets): POST /webhooks/patches refuses every call");
        }
        return verifier;
    }
}
