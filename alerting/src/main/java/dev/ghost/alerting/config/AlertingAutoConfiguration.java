package dev.ghost.alerting.config;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.ActionAdvisor;
import dev.ghost.alerting.AlertBook;
import dev.ghost.alerting.AlertIntake;
import dev.ghost.alerting.CauseClassifier;
import dev.ghost.alerting.channel.slack.SlackChannel;
import dev.ghost.alerting.channel.slack.SlackMessages;
import dev.ghost.alerting.channel.slack.SlackRenderer;
import dev.ghost.alerting.engine.AlertEngine;
import dev.ghost.alerting.engine.AlertRepository;
import dev.ghost.alerting.engine.AlertingLoop;
import dev.ghost.alerting.engine.LeaderOnlyAlerting;
import dev.ghost.alerting.engine.LoopAlertBook;
import dev.ghost.alerting.engine.WatchdogHeartbeat;
import dev.ghost.alerting.inhibition.Inhibitor;
import dev.ghost.alerting.model.AlertState;
import dev.ghost.alerting.notify.Receiver;
import dev.ghost.alerting.notify.Redactor;
import dev.ghost.alerting.outbox.NotificationOutbox;
import dev.ghost.alerting.outbox.OutboxWorkers;
import dev.ghost.alerting.redis.AlertingKeys;
import dev.ghost.alerting.routing.Dispatcher;
import dev.ghost.alerting.routing.Route;
import dev.ghost.alerting.routing.RouteTree;
import dev.ghost.alerting.rules.RuleBook;
import dev.ghost.alerting.silences.SilenceStore;
import dev.ghost.alerting.sources.EventSignals;
import dev.ghost.alerting.sources.Intake;
import dev.ghost.alerting.web.AlertmanagerApiController;
import dev.ghost.alerting.web.AlertsController;
import dev.ghost.alerting.web.SilencesController;
import dev.ghost.common.leader.Leadership;

/**
 * Alerting in any GHOST service that has Redis: rules, routing tree, inhibition, silences, the
 * alerting loop, the Redis outbox and a worker per receiver, the {@code /alerts} and
 * {@code /silences} API, and the {@link AlertIntake} the application feeds. An invalid rule,
 * matcher, route or receiver stops the start with a message naming it; a receiver without a
 * channel does not (its alerts are then kept and shown, and the log says once that nothing is sent).
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@ConditionalOnBean(StringRedisTemplate.class)
@EnableConfigurationProperties(AlertingProperties.class)
@Import({AlertsController.class, SilencesController.class, AlertmanagerApiController.class})
public class AlertingAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AlertingAutoConfiguration.class);
    private static final Clock CLOCK = Clock.systemUTC();
    /** How long an event batch waits for alerting to store what it changed before it is refused (and sent again). */
    private static final Duration RECORD_TIMEOUT = Duration.ofSeconds(5);

    @Bean
    AlertingKeys alertingKeys(AlertingProperties properties) {
        return new AlertingKeys(properties.namespace());
    }

    @Bean
    Redactor alertingRedactor(AlertingProperties properties) {
        return new Redactor(Receivers.secrets(properties));
    }

    @Bean(destroyMethod = "close")
    SlackChannel slackChannel(AlertingProperties properties, StringRedisTemplate redis, AlertingKeys keys, Redactor alertingRedactor,
            JsonMapper json, ObjectProvider<ActionAdvisor> advisor) {
        // looked up per message: the advisor (remediation) itself needs the AlertBook defined here
        return new SlackChannel(properties.slack(), new SlackRenderer(properties.publicUrl(), properties.dashboardUrl(), advisor::getIfAvailable),
                new SlackMessages(redis, keys, properties.delivery().idempotencyTtl(), json), alertingRedactor);
    }

    @Bean
    Receivers alertingReceivers(AlertingProperties properties, SlackChannel slackChannel, JsonMapper json, Redactor alertingRedactor,
            ObjectProvider<ActionAdvisor> advisor) {
        Receivers receivers = new Receivers(properties, slackChannel, json, alertingRedactor, CLOCK, advisor::getIfAvailable);
        log.info("Alerting receivers: {}", receivers.describe());
        return receivers;
    }

    @Bean
    Route alertingRoutes(AlertingProperties properties, Receivers receivers) {
        return RouteTree.build(properties.route(), receivers.names());
    }

    @Bean
    AlertRepository alertRepository(StringRedisTemplate redis, JsonMapper json, AlertingKeys keys, AlertingProperties properties) {
        return new AlertRepository(redis, json, keys, properties.historyMaxEntries());
    }

    @Bean
    SilenceStore silenceStore(StringRedisTemplate redis, JsonMapper json, AlertingKeys keys, AlertingProperties properties) {
        return new SilenceStore(redis, json, CLOCK, keys, properties.silenceRetention());
    }

    @Bean
    NotificationOutbox notificationOutbox(StringRedisTemplate redis, JsonMapper json, AlertingKeys keys, AlertingProperties properties) {
        return new NotificationOutbox(redis, json, CLOCK, keys, properties.delivery().idempotencyTtl(),
                properties.delivery().outboxMaxLength());
    }

    @Bean
    OutboxWorkers outboxWorkers(Receivers receivers, NotificationOutbox outbox, AlertingProperties properties, MeterRegistry meters) {
        return new OutboxWorkers(receivers.all(), outbox, properties.delivery(), receivers.longestCall(), CLOCK, meters);
    }

    /** Alerts by state, for dashboards ({@code ghost_alerting_alerts{state="firing"}}). */
    @Bean
    MeterBinder alertingMeters(AlertingLoop loop) {
        return meters -> {
            for (AlertState state : AlertState.values()) {
                Gauge.builder("ghost.alerting.alerts", loop, l -> l.snapshot().alerts().stream()
                                .filter(view -> view.alert().state() == state).count())
                        .tag("state", state.json()).description("Alerts kept, by state").register(meters);
            }
        };
    }

    /** In a pair (a leader election in this service), only the leader runs the loop and the workers. */
    @Bean
    AlertingLoop alertingLoop(AlertingProperties properties, Route alertingRoutes, AlertRepository repository,
            SilenceStore silences, NotificationOutbox outbox, OutboxWorkers workers, ObjectProvider<Leadership> leadership) {
        AlertEngine engine = new AlertEngine(RuleBook.from(properties.rules()), properties.flap().window(),
                properties.flap().settle(), properties.recentlyResolved(), properties.maxAlerts(), properties.resolveTimeout());
        Dispatcher dispatcher = new Dispatcher(alertingRoutes, Inhibitor.from(properties.inhibitRules()),
                properties.delivery().idempotencyTtl(), properties.flap().window());
        AlertingLoop loop = new AlertingLoop(engine, dispatcher, repository, silences, outbox, workers, CLOCK, properties.tick());
        leadership.ifAvailable(election -> {
            if (election.isElected()) {
                LeaderOnlyAlerting.follow(election, loop, workers);
            }
        });
        return loop;
    }

    /** What modules that act on alerts (remediation) may read and do. */
    @Bean
    AlertBook alertBook(AlertingLoop loop, Route alertingRoutes, AlertRepository repository, SilenceStore silences,
            NotificationOutbox outbox, OutboxWorkers workers) {
        return new LoopAlertBook(loop, alertingRoutes, repository, silences, outbox, workers, CLOCK);
    }

    /** The always-firing Watchdog, when a receiver outside chat takes it (see AlertingProperties.Watchdog). */
    @Bean
    WatchdogHeartbeat watchdogHeartbeat(AlertingProperties properties, Receivers receivers, AlertingLoop loop) {
        Receiver receiver = receivers.names().contains(properties.watchdog().receiver())
                ? receivers.get(properties.watchdog().receiver()) : null;
        boolean on = receiver != null && receiver.delivers() && !receiver.channel().equals("slack");
        log.info("Watchdog heartbeat: {}", on ? "every " + properties.watchdog().interval() + " to receiver '" + receiver.name() + "'"
                : "off (no receiver '" + properties.watchdog().receiver() + "' with a webhook or PagerDuty: GHOST_WATCHDOG_URL)");
        return new WatchdogHeartbeat(loop, properties.watchdog().interval(), CLOCK, on);
    }

    /** What the application feeds: its own signals and other services' events; a failed patch's cause comes from its classifier if it has one. */
    @Bean
    AlertIntake alertIntake(AlertingProperties properties, ObjectProvider<CauseClassifier> classifier, AlertingLoop loop) {
        // looked up per failure: the application's classifier may itself need this intake (ml-monitor's does, through its signals)
        CauseClassifier whenPresent = text -> Optional.ofNullable(classifier.getIfAvailable()).flatMap(c -> c.classify(text));
        EventSignals signals = new EventSignals(properties.patchSummaryUrl(), Optional.of(whenPresent));
        return new Intake(signals, loop, RECORD_TIMEOUT);
    }
}
