package dev.ghost.common.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.ghost.common.event.EventPublisher;
import dev.ghost.common.event.GhostEvent;

class EventLogAppenderTest {

    final LoggerContext context = new LoggerContext();
    final Logger logger = context.getLogger("dev.ghost.sample.Worker");
    EventLogAppender appender;

    EventLogAppender attach(EventPublisher publisher, int capacity) {
        appender = new EventLogAppender(() -> publisher, "sample", "sample:1", capacity);
        appender.setContext(context);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        return appender;
    }

    @AfterEach
    void stop() {
        appender.stop();
        context.stop();
    }

    @Test
    void shipsWarnAndErrorLinesAsEventsAndNothingBelow() {
        List<GhostEvent> published = new CopyOnWriteArrayList<>();
        attach(published::add, 100);
        logger.info("routine");
        logger.warn("disk {} almost full", "/data");
        logger.error("patch failed", new IllegalStateException("boom"));
        await().atMost(Duration.ofSeconds(10)).until(() -> published.size() == 2);
        assertThat(published.get(0).type()).isEqualTo("log.warn");
        assertThat(published.get(0).data()).containsEntry("message", "disk /data almost full").containsEntry("service", "sample");
        assertThat(published.get(1).type()).isEqualTo("log.error");
        assertThat(published.get(1).data().get("exception")).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(appender.shipped()).isEqualTo(2);
    }

    @Test
    void neverBlocksTheLoggerAndCountsWhatItDrops() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        attach(event -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 5);
        for (int i = 0; i < 50; i++) {
            logger.error("failure {}", i);
        }
        // The blocked shipper holds one batch (at most the first line plus the five then queued) and the
        // queue five more: every other line was dropped and counted, none waited for.
        assertThat(appender.dropped()).isGreaterThanOrEqualTo(50 - 5 - 6);
        release.countDown();
    }

    @Test
    void linesLoggedWhilePublishingAreNotShippedAgain() {
        List<GhostEvent> published = new CopyOnWriteArrayList<>();
        Logger publisherLog = context.getLogger("com.example.Transport");
        attach(event -> {
            published.add(event);
            publisherLog.warn("transport hiccup while sending {}", event.id());
        }, 100);
        logger.warn("one line");
        await().atMost(Duration.ofSeconds(10)).until(() -> published.size() == 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
    }
}
