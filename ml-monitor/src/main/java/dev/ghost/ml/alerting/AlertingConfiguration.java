package dev.ghost.ml.alerting;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.ml.alerting.engine.AlertEngine;
import dev.ghost.ml.alerting.engine.AlertRepository;
import dev.ghost.ml.alerting.engine.AlertingLoop;
import dev.ghost.ml.alerting.inhibition.Inhibitor;
import dev.ghost.ml.alerting.model.AlertState;
import dev.ghost.ml.alerting.outbox.NotificationOutbox;
import dev.ghost.ml.alerting.outbox.OutboxWorkers;
import dev.ghost.ml.alerting.routing.Dispatcher;
import dev.ghost.ml.alerting.routing.Route;
import dev.ghost.ml.alerting.routing.RouteTree;
import dev.ghost.ml.alerting.rules.RuleBook;
import dev.ghost.ml.alerting.silences.SilenceStore;
import dev.ghost.ml.alerting.slack.Redactor;
import dev.ghost.ml.alerting.slack.SlackReceivers;
import dev.ghost.ml.alerting.slack.SlackRenderer;
import dev.ghost.ml.alerting.slack.SlackSender;
import dev.ghost.ml.alerting.sources.AlertingEventSource;
import dev.ghost.ml.alerting.sources.CauseClassifier;
import dev.ghost.ml.alerting.sources.EventSignals;
import dev.ghost.ml.alerting.sources.MlSignalSink;
import dev.ghost.ml.classify.ClassificationService;
import dev.ghost.ml.classify.FailureClassifier;

/**
 * Wires alerting: rules, routing tree, inhibition, silences, the alerting loop, the Redis outbox
 * and its Slack workers. An invalid rule, matcher or route stops the start with a message naming
 * it; missing Slack settings do not (alerts are then kept and shown, and the log says once that
 * nothing is sent).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AlertingProperties.class)
public class AlertingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AlertingConfiguration.class);
    private static final Clock CLOCK = Clock.systemUTC();

    @Bean
    SlackReceivers slackReceivers(AlertingProperties properties) {
        SlackReceivers receivers = new SlackReceivers(properties);
        log.info("Alerting receivers: {}", receivers.describe());
        return receivers;
    }

    @Bean
    Route alertingRoutes(AlertingProperties properties, SlackReceivers receivers) {
        if (properties.getRoute().getReceiver() == null) {
            properties.getRoute().setReceiver(receivers.names().iterator().next());
        }
        return RouteTree.build(properties.getRoute(), receivers.names());
    }

    @Bean
    Redactor alertingRedactor(AlertingProperties properties) {
        List<String> secrets = new ArrayList<>(List.of(properties.getSlack().getWebhookUrl(), properties.getSlack().getBotToken()));
        properties.getReceivers().values().forEach(receiver -> secrets.add(receiver.getWebhookUrl()));
        return new Redactor(secrets);
    }

    @Bean(destroyMethod = "close")
    SlackSender slackSender(AlertingProperties properties, SlackReceivers receivers,
            StringRedisTemplate redis, Redactor alertingRedactor) {
        return new SlackSender(properties, receivers, redis, alertingRedactor);
    }

    @Bean
    SlackRenderer slackRenderer(AlertingProperties properties) {
        return new SlackRenderer(properties);
    }

    @Bean
    AlertRepository alertRepository(StringRedisTemplate redis, JsonMapper json, AlertingProperties properties) {
        return new AlertRepository(redis, json, properties.getNamespace(), properties.getHistoryMaxEntries());
    }

    @Bean
    SilenceStore silenceStore(StringRedisTemplate redis, JsonMapper json, AlertingProperties properties) {
        return new SilenceStore(redis, json, CLOCK, properties.getNamespace(), properties.getSilenceRetention());
    }

    @Bean
    NotificationOutbox notificationOutbox(StringRedisTemplate redis, JsonMapper json, AlertingProperties properties) {
        return new NotificationOutbox(redis, json, CLOCK, properties.getNamespace(), properties.getDelivery().getIdempotencyTtl(),
                properties.getDelivery().getOutboxMaxLength());
    }

    @Bean
    OutboxWorkers outboxWorkers(SlackReceivers receivers, NotificationOutbox outbox, SlackSender sender,
            AlertingProperties properties, MeterRegistry meters) {
        return new OutboxWorkers(receivers.delivering(), outbox, sender, properties.getDelivery(),
                properties.getSlack().getTimeout(), CLOCK, meters);
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

    @Bean
    AlertingLoop alertingLoop(AlertingProperties properties, Route alertingRoutes, AlertRepository repository,
            SilenceStore silences, NotificationOutbox outbox, OutboxWorkers workers, SlackRenderer renderer) {
        AlertEngine engine = new AlertEngine(RuleBook.from(properties.getRules()), properties.getFlap().getWindow(),
                properties.getFlap().getSettle(), properties.getRecentlyResolved(), properties.getMaxAlerts());
        Dispatcher dispatcher = new Dispatcher(alertingRoutes, Inhibitor.from(properties.getInhibitRules()),
                properties.getDelivery().getIdempotencyTtl(), properties.getFlap().getWindow());
        return new AlertingLoop(engine, dispatcher, repository, silences, outbox, workers, renderer, CLOCK, properties.getTick());
    }

    /** Failed patches are named with the ML monitor's trained classifier (without publishing another signal). */
    @Bean
    CauseClassifier causeClassifier(ClassificationService classifications) {
        return text -> {
            FailureClassifier.Prediction prediction = classifications.classify(text);
            return Optional.of(new CauseClassifier.Cause(prediction.type().label(), prediction.probability()));
        };
    }

    @Bean
    EventSignals eventSignals(AlertingProperties properties, ObjectProvider<CauseClassifier> classifier) {
        return new EventSignals(properties, Optional.ofNullable(classifier.getIfAvailable()));
    }

    /** Replaces the ML monitor's recording stand-in: every signal it raises comes here. */
    @Bean
    MlSignalSink mlSignalSink(AlertingLoop loop, AlertingProperties properties) {
        return new MlSignalSink(loop, properties.getPublicUrl());
    }

    @Bean
    AlertingEventSource alertingEventSource(EventSignals signals, AlertingLoop loop) {
        return new AlertingEventSource(signals, loop, Duration.ofSeconds(5));
    }
}
