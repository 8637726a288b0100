package dev.ghost.ml;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.ghost.ml.classify.FailureClassifier;
import dev.ghost.ml.signal.AlertSink;
import dev.ghost.ml.signal.RecordingAlertSink;

/** The pieces that are plain objects rather than components. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class MlMonitorConfiguration {

    /** Until the alerting issue provides a real sink, signals are only recorded. */
    @Bean
    @ConditionalOnMissingBean(AlertSink.class)
    RecordingAlertSink recordingAlertSink() {
        return new RecordingAlertSink();
    }

    @Bean
    FailureClassifier failureClassifier() {
        return FailureClassifier.trained();
    }
}
