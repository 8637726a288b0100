package dev.ghost.ml;

import java.util.Optional;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.ghost.alerting.AlertIntake;
import dev.ghost.alerting.CauseClassifier;
import dev.ghost.ml.classify.ClassificationService;
import dev.ghost.ml.classify.FailureClassifier;
import dev.ghost.ml.ingest.GhostEventListener;
import dev.ghost.ml.signal.AlertingSignalSink;

/**
 * The pieces that are plain objects rather than components, and how ml-monitor feeds the
 * alerting module it runs: its signals, the events it ingests, and its failure classifier.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(MlProperties.class)
class MlMonitorConfiguration {

    @Bean
    FailureClassifier failureClassifier() {
        return FailureClassifier.trained();
    }

    /** Every signal the ML monitor raises goes to alerting. */
    @Bean
    AlertingSignalSink alertingSignalSink(AlertIntake alerting, MlProperties ml) {
        return new AlertingSignalSink(alerting, ml.publicUrl());
    }

    /** Health, patch and relay events posted to {@code /events} are recorded by alerting before they are acknowledged. */
    @Bean
    GhostEventListener alertingEvents(AlertIntake alerting) {
        return alerting::record;
    }

    /** Failed patches are named with the ML monitor's trained classifier (without publishing another signal). */
    @Bean
    CauseClassifier causeClassifier(ClassificationService classifications) {
        return text -> {
            FailureClassifier.Prediction prediction = classifications.classify(text);
            return Optional.of(new CauseClassifier.Cause(prediction.type().label(), prediction.probability()));
        };
    }
}
