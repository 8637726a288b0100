package dev.ghost.relay.patch;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

import dev.ghost.common.event.EventPublisher;
import dev.ghost.common.event.GhostEvent;

/**
 * One Resilience4j circuit breaker per runner instance (named by host:port, which is what a call
 * knows once the load balancer has picked the instance). As a request interceptor placed after the
 * load balancer's, it records every call's outcome: a refused or broken connection or a 503 is a
 * failure, any other answer a success (a 4xx is the caller's problem, not the runner's). While a
 * breaker is open its runner is left out of rotation ({@link RunnerRotation}), and a call that still
 * reaches it fails at once with an IOException, which the load balancer's retry takes to the next
 * runner. Opening and closing are announced as {@code relay.runner_circuit} events.
 */
public class RunnerBreakers implements ClientHttpRequestInterceptor {

    private static final Logger log = LoggerFactory.getLogger(RunnerBreakers.class);

    /** Thrown instead of calling a runner whose circuit is open. */
    static class CircuitOpenException extends IOException {
        CircuitOpenException(String runner) {
            super("circuit open for runner " + runner);
        }
    }

    private final CircuitBreakerRegistry registry;
    private final CircuitBreakerConfig config;
    private final EventPublisher events;
    private final String source;

    public RunnerBreakers(CircuitBreakerRegistry registry, RunnersProperties properties, EventPublisher events, String source) {
        this.registry = registry;
        this.events = events;
        this.source = source;
        RunnersProperties.Breaker breaker = properties.breaker();
        this.config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.window())
                .minimumNumberOfCalls(breaker.minimumCalls())
                .failureRateThreshold(breaker.failureRateThreshold())
                .waitDurationInOpenState(breaker.openFor())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(1)
                .build();
    }

    public CircuitBreaker forInstance(ServiceInstance instance) {
        return breaker(instance.getHost() + ":" + instance.getPort());
    }

    public boolean isOpen(ServiceInstance instance) {
        return forInstance(instance).getState() == CircuitBreaker.State.OPEN;
    }

    private CircuitBreaker breaker(String runner) {
        String name = "runner@" + runner;
        return registry.find(name).orElseGet(() -> {
            CircuitBreaker created = registry.circuitBreaker(name, config);
            created.getEventPublisher().onStateTransition(event -> announce(runner, event.getStateTransition()));
            return created;
        });
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
        URI uri = request.getURI();
        String runner = uri.getHost() + ":" + uri.getPort();
        CircuitBreaker breaker = breaker(runner);
        if (!breaker.tryAcquirePermission()) {
            throw new CircuitOpenException(runner);
        }
        long start = System.nanoTime();
        ClientHttpResponse response;
        try {
            response = execution.execute(request, body);
        } catch (IOException | RuntimeException e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw e;
        }
        if (response.getStatusCode().value() == 503) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, new IOException("runner answered 503"));
        } else {
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        return response;
    }

    private void announce(String runner, CircuitBreaker.StateTransition transition) {
        log.warn("Circuit of runner {}: {} -> {}", runner, transition.getFromState(), transition.getToState());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("runner", runner);
        data.put("from", transition.getFromState().name());
        data.put("to", transition.getToState().name());
        events.publish(GhostEvent.of("relay.runner_circuit", source, data));
    }
}
