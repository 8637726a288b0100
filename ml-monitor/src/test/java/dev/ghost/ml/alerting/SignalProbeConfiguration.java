package dev.ghost.ml.alerting;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import dev.ghost.ml.signal.RecordingAlertSink;

/**
 * Tests of the ML monitor probe the signals it raises through the recording sink; alerting's
 * sink replaced it in the application, so tests keep it alongside (a sink is only a listener).
 */
@Configuration(proxyBeanMethods = false)
class SignalProbeConfiguration {

    /** Primary: should the application's own stand-in also exist, tests still get one probe (both record every signal). */
    @Bean
    @Primary
    RecordingAlertSink signalProbe() {
        return new RecordingAlertSink();
    }
}
