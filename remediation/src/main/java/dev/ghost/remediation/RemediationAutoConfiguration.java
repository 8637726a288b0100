package dev.ghost.remediation;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.loadbalancer.BlockingLoadBalancerInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.AlertBook;
import dev.ghost.alerting.AlertIntake;
import dev.ghost.common.config.MissingCredentialsException;
import dev.ghost.common.security.GhostSecurityProperties;
import dev.ghost.common.web.PooledHttp;
import dev.ghost.remediation.run.RelayClient;
import dev.ghost.remediation.run.RemediationLoop;
import dev.ghost.remediation.run.RemediationService;
import dev.ghost.remediation.run.RemediationStore;
import dev.ghost.remediation.run.RunbookAdvisor;
import dev.ghost.remediation.runbook.RunbookCatalog;
import dev.ghost.remediation.runbook.RunbookDirectory;
import dev.ghost.remediation.runbook.RunbookParser;
import dev.ghost.remediation.slack.SlackInteractionsController;
import dev.ghost.remediation.slack.SlackResponder;
import dev.ghost.remediation.slack.SlackSignatureVerifier;
import dev.ghost.remediation.web.RemediationsController;
import dev.ghost.remediation.web.RunbooksController;

/**
 * Remediation wherever alerting runs (it needs alerting's {@link AlertBook} and {@link AlertIntake}):
 * the runbook catalog (Redis, and the runbooks directory), the advisor that puts buttons on alert
 * messages, {@code POST /slack/interactions}, the runs through the relay, the loop that follows them
 * up and runs automatic runbooks, and the {@code /runbooks} and {@code /remediations} API.
 */
@AutoConfiguration(afterName = "dev.ghost.alerting.config.AlertingAutoConfiguration")
@ConditionalOnBean({AlertBook.class, AlertIntake.class, StringRedisTemplate.class})
@ConditionalOnProperty(name = "ghost.remediation.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({RemediationProperties.class, GhostSecurityProperties.class})
@Import({RunbooksController.class, RemediationsController.class, SlackInteractionsController.class})
public class RemediationAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RemediationAutoConfiguration.class);
    private static final Clock CLOCK = Clock.systemUTC();

    @Bean
    RemediationKeys remediationKeys(RemediationProperties properties) {
        return new RemediationKeys(properties.namespace());
    }

    @Bean
    RunbookParser runbookParser(JsonMapper json) {
        return new RunbookParser(json);
    }

    @Bean
    RunbookCatalog runbookCatalog(StringRedisTemplate redis, JsonMapper json, RemediationKeys keys, RemediationProperties properties) {
        return new RunbookCatalog(redis, json, keys, properties.versionsKept(), CLOCK);
    }

    @Bean
    RemediationStore remediationStore(StringRedisTemplate redis, JsonMapper json, RemediationKeys keys, RemediationProperties properties) {
        return new RemediationStore(redis, json, keys, properties.retention(), properties.auditMaxEntries(), CLOCK);
    }

    /** The relay by its name in Eureka, through the load balancer (the interceptor {@code @LoadBalanced} installs). */
    @Bean
    RelayClient remediationRelayClient(RemediationProperties properties, GhostSecurityProperties security, JsonMapper json,
            ObjectProvider<BlockingLoadBalancerInterceptor> loadBalancer) {
        if (security.serviceToken().isBlank()) {
            throw new MissingCredentialsException("Runbooks go through the relay with the service token, and none is set.",
                    "Set GHOST_SERVICE_TOKEN (./ghost up generates it), or ghost.remediation.enabled=false.");
        }
        RestClient relay = RestClient.builder().baseUrl("http://" + properties.relayService())
                .requestFactory(PooledHttp.requestFactory(Duration.ofSeconds(2), Duration.ofSeconds(30), 4))
                .requestInterceptor((request, body, execution) -> {
                    BlockingLoadBalancerInterceptor interceptor = loadBalancer.getIfAvailable();
                    if (interceptor == null) {
                        throw new java.io.IOException("no load balancer (Eureka is off): the relay cannot be found");
                    }
                    return interceptor.intercept(request, body, execution);
                })
                .build();
        return new RelayClient(relay, security.serviceToken(), json);
    }

    @Bean
    RemediationService remediationService(AlertBook book, RunbookCatalog catalog, RemediationStore store, RelayClient relay) {
        return new RemediationService(book, catalog, store, relay, CLOCK);
    }

    @Bean
    RunbookAdvisor runbookAdvisor(RunbookCatalog catalog, RemediationStore store, JsonMapper json, RemediationProperties properties) {
        return new RunbookAdvisor(catalog, store, json, properties.publicUrl(), properties.slack().interactive(),
                "Silence " + SlackInteractionsController.human(properties.slack().silenceDuration()));
    }

    @Bean
    RemediationLoop remediationLoop(AlertBook book, AlertIntake intake, RunbookCatalog catalog, RemediationStore store,
            RemediationService service, RelayClient relay, RunbookParser parser, JsonMapper json, RemediationProperties properties) {
        RunbookDirectory directory = properties.runbooksDir().isBlank() ? null
                : new RunbookDirectory(Path.of(properties.runbooksDir()).toAbsolutePath(), parser, catalog, json);
        if (directory != null) {
            log.info("Runbooks from files in {}", directory.directory());
        }
        log.info("Remediation: Slack interactivity {}, {} allowed Slack users, verification wait {}",
                properties.slack().interactive() ? "on" : "off (no SLACK_SIGNING_SECRET: no buttons)", properties.slack().users().size(),
                properties.verifyWait());
        return new RemediationLoop(book, intake, catalog, store, service, relay, directory, properties.verifyWait(),
                properties.pollInterval(), properties.patchSummaryUrl(), CLOCK);
    }

    @Bean
    SlackSignatureVerifier slackSignatureVerifier(RemediationProperties properties) {
        return new SlackSignatureVerifier(properties.slack().signingSecret(), properties.slack().tolerance());
    }

    @Bean
    SlackResponder slackResponder(RemediationProperties properties) {
        RestClient http = RestClient.builder().requestFactory(PooledHttp.requestFactory(Duration.ofSeconds(2), Duration.ofSeconds(10), 2))
                .build();
        return new SlackResponder(http, properties.slack().responseUrlPrefix());
    }

    /** Where clicks are acted on once answered: two threads, a bounded queue (beyond it, 503 and Slack's user retries). */
    @Bean(destroyMethod = "shutdown")
    ExecutorService slackActions() {
        return new ThreadPoolExecutor(2, 2, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(100), runnable -> {
            Thread thread = new Thread(runnable, "ghost-slack-actions");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    RemediationProperties.Slack remediationSlackSettings(RemediationProperties properties) {
        return properties.slack();
    }

    /**
     * {@code /slack/interactions} carries no GHOST credential: Slack signs it instead, and the controller checks the
     * signature before anything else. This chain lets it through the token check (only that path).
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 10)
    SecurityFilterChain slackInteractionsChain(HttpSecurity http) throws Exception {
        return http.securityMatcher("/slack/interactions")
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.disable())
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }
}
