package dev.ghost.relay.config;

/** This relay instance's name: its Eureka instance id (host:relay-service:port), used as lease holder and consumer name. */
public record RelayIdentity(String instanceId) {
}
