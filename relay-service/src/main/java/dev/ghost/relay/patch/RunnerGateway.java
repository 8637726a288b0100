package dev.ghost.relay.patch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.security.CallerHeaders;
import dev.ghost.common.security.GhostPrincipal;

/**
 * Calls to runners, always with the relay's own SERVICE credential and the caller's identity
 * ({@link CallerHeaders}); a caller's token never leaves the relay, so an instance that registered
 * itself as a runner learns no one's credential but the relay's. Submissions and lists go to
 * {@code http://runner-service} through the load-balanced client: round-robin over the runners in
 * rotation, with Spring Cloud LoadBalancer's retry on the next instance when one refuses the
 * connection or answers 503 (safe: a submission is idempotent by id + hash). Reads of one patch go
 * straight to the runner that holds it, as long as it is in rotation.
 */
public class RunnerGateway {

    public static final String SERVICE = "runner-service";
    private static final Logger log = LoggerFactory.getLogger(RunnerGateway.class);

    /** A runner's answer, read whole (API answers are small; logs use {@link #openLog}). */
    public record Upstream(int status, HttpHeaders headers, byte[] body, String runner) {
    }

    /** Who is calling, as the runner must see it (name and roles, which the runner checks and records). */
    public record Caller(GhostPrincipal principal) {
    }

    private final RestClient balanced;
    private final RestClient direct;
    private final RestClient streaming;
    private final LoadBalancerClientFactory balancers;
    private final RunnersProperties properties;
    private final String serviceAuthorization;

    public RunnerGateway(RestClient balanced, RestClient direct, RestClient streaming, LoadBalancerClientFactory balancers,
            RunnersProperties properties, String serviceToken) {
        this.serviceAuthorization = "Bearer " + serviceToken;
        this.balanced = balanced;
        this.direct = direct;
        this.streaming = streaming;
        this.balancers = balancers;
        this.properties = properties;
    }

    /** The runners the load balancer would pick from now: registered, healthy, circuit closed. */
    public List<ServiceInstance> inRotation() {
        try {
            List<ServiceInstance> instances = balancers.getInstance(SERVICE, ServiceInstanceListSupplier.class)
                    .get().blockFirst(Duration.ofSeconds(2));
            return instances == null ? List.of() : instances;
        } catch (IllegalStateException e) {
            return List.of(); // the first round of health checks has not finished yet: nobody is known healthy
        }
    }

    public Optional<ServiceInstance> inRotation(String instanceId) {
        return instanceId == null ? Optional.empty()
                : inRotation().stream().filter(instance -> instanceId.equals(instance.getInstanceId())).findFirst();
    }

    /** A patch to any runner in rotation, with failover (the patch API and signed webhooks both come in here). */
    public Upstream submit(byte[] patch, Caller caller) {
        return balanced(HttpMethod.POST, URI.create("/patches"), caller, patch == null ? new byte[0] : patch,
                MediaType.APPLICATION_JSON);
    }

    /** Any runner in rotation, with failover. */
    public Upstream balanced(HttpMethod method, URI pathAndQuery, Caller caller, byte[] body, MediaType type) {
        return call(balanced, method, URI.create("http://" + SERVICE).resolve(pathAndQuery), caller, body, type, null);
    }

    /** The given runner only. */
    public Upstream at(ServiceInstance runner, HttpMethod method, URI pathAndQuery, Caller caller) {
        return call(direct, method, runner.getUri().resolve(pathAndQuery), caller, null, null, runner.getInstanceId());
    }

    /** Opens a runner's log stream; the caller must close the response. */
    public ClientHttpResponse openLog(ServiceInstance runner, URI pathAndQuery, Caller caller) {
        try {
            return streaming.get().uri(runner.getUri().resolve(pathAndQuery))
                    .headers(headers -> credential(headers, caller))
                    .exchange((request, response) -> response, false);
        } catch (ResourceAccessException e) {
            throw unavailable(e);
        }
    }

    private Upstream call(RestClient client, HttpMethod method, URI uri, Caller caller, byte[] body, MediaType type,
            String runner) {
        try {
            RestClient.RequestBodySpec spec = client.method(method).uri(uri).headers(headers -> credential(headers, caller));
            if (body != null) {
                spec = spec.contentType(type == null ? MediaType.APPLICATION_JSON : type).body(body);
            }
            return spec.exchange((request, response) -> read(response, runner));
        } catch (ResourceAccessException | IllegalStateException | IllegalArgumentException e) {
            // I/O on every instance tried, or the load balancer had no instance to offer (its two ways of saying so)
            throw unavailable(e);
        }
    }

    private static Upstream read(ClientHttpResponse response, String runner) {
        try {
            return new Upstream(response.getStatusCode().value(), response.getHeaders(), response.getBody().readAllBytes(), runner);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void credential(HttpHeaders headers, Caller caller) {
        headers.set(HttpHeaders.AUTHORIZATION, serviceAuthorization);
        headers.set(CallerHeaders.NAME, CallerHeaders.encodeName(caller.principal()));
        headers.set(CallerHeaders.ROLES, CallerHeaders.encodeRoles(caller.principal()));
    }

    /** Every runner refused, failed or is out of rotation: tell the client when to come back. */
    GhostProblemException unavailable(RuntimeException cause) {
        log.debug("no runner could take the call: {}", cause.getMessage());
        return new GhostProblemException(HttpStatus.SERVICE_UNAVAILABLE, "no-runner-available", "No runner available",
                "No runner-service instance is in rotation or every one tried failed; retry shortly.")
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(properties.retryAfterSeconds()));
    }
}
