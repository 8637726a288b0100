package dev.ghost.ml.signal;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tests of the ML monitor probe the signals it raises through the recording sink, alongside the
 * application's sink to alerting (a sink is only a listener).
 */
@Configuration(proxyBeanMethods = false)
class SignalProbeConfiguration {

    @Bean
    RecordingAlertSink signalProbe() {
        return new RecordingAlertSink();
    }
}
