package dev.ghost.common.event;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a service hands its events on ({@code ghost.events.*}). {@code transport}: {@code relay}
 * (HTTP to the relay's hub through the load balancer; the default when Eureka discovery is on) or
 * {@code redis} (append to the capped {@code ghost:events} stream; the default when discovery is
 * off, as in single-service tests).
 */
@ConfigurationProperties("ghost.events")
public class GhostEventsProperties {

    /** relay or redis; unset: relay when eureka.client.enabled is true (the default), else redis. */
    private String transport;

    /** Eureka name of the relay. */
    private String relayService = "relay-service";

    /** Events held while the relay is unreachable; beyond it new events are dropped and counted. */
    private int bufferCapacity = 10_000;

    /** Most events sent in one POST. */
    private int batchSize = 500;

    /** Longest wait between two attempts to reach the relay. */
    private Duration maxBackoff = Duration.ofSeconds(10);

    /** How long shutdown waits for buffered events to reach the relay. */
    private Duration shutdownGrace = Duration.ofSeconds(5);

    public String getTransport() {
        return transport;
    }

    public void setTransport(String transport) {
        this.transport = transport;
    }

    public String getRelayService() {
        return relayService;
    }

    public void setRelayService(String relayService) {
        this.relayService = relayService;
    }

    public int getBufferCapacity() {
        return bufferCapacity;
    }

    public void setBufferCapacity(int bufferCapacity) {
        this.bufferCapacity = bufferCapacity;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    public Duration getShutdownGrace() {
        return shutdownGrace;
    }

    public void setShutdownGrace(Duration shutdownGrace) {
        this.shutdownGrace = shutdownGrace;
    }
}
