package dev.ghost.common.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

import dev.ghost.common.event.EventPublisher;
import dev.ghost.common.config.GhostEventsAutoConfiguration;
import dev.ghost.common.config.GhostInstance;

/**
 * Attaches {@link EventLogAppender} to the root logger while the application runs, so every
 * GHOST service ships its WARN and ERROR lines as {@code log.*} events; exposes
 * {@code ghost.logging.shipped.dropped} (lines dropped under back-pressure), {@code ghost.logging.shipped}
 * and {@code ghost.logging.shipped.queued}. Off with {@code ghost.logging.ship.enabled=false}.
 */
@AutoConfiguration(after = GhostEventsAutoConfiguration.class)
@ConditionalOnClass(LoggerContext.class)
@ConditionalOnBean(EventPublisher.class)
@ConditionalOnProperty(name = "ghost.logging.ship.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(GhostLogShippingProperties.class)
public class GhostLogShippingAutoConfiguration {

    @Bean
    LogShipping ghostLogShipping(ObjectProvider<EventPublisher> publisher, GhostInstance instance,
            GhostLogShippingProperties properties, ObjectProvider<MeterRegistry> meters) {
        EventLogAppender appender = new EventLogAppender(publisher::getObject, instance.service(), instance.id(),
                properties.queueCapacity());
        meters.ifAvailable(registry -> {
            FunctionCounter.builder("ghost.logging.shipped.dropped", appender, EventLogAppender::dropped)
                    .description("WARN/ERROR lines not shipped because the queue was full or publishing failed").register(registry);
            FunctionCounter.builder("ghost.logging.shipped", appender, EventLogAppender::shipped).register(registry);
            Gauge.builder("ghost.logging.shipped.queued", appender, EventLogAppender::queued).register(registry);
        });
        return new LogShipping(appender);
    }

    /** Starts the appender with the context and removes it on shutdown. */
    public static final class LogShipping implements SmartLifecycle {

        private final EventLogAppender appender;
        private volatile boolean running;

        LogShipping(EventLogAppender appender) {
            this.appender = appender;
        }

        public EventLogAppender appender() {
            return appender;
        }

        @Override
        public void start() {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
                appender.setContext(context);
                appender.start();
                context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
                running = true;
            }
        }

        @Override
        public void stop() {
            if (running && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
                context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
                appender.stop();
            }
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}
