package dev.ghost.relay.patch;

import java.util.Comparator;
import java.util.List;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;

/**
 * The last link of the runners' instance-list chain (after discovery and health checks): leaves
 * out runners whose circuit is open, and sorts the rest by instance id. The health checker lists
 * instances in the order their checks completed, which changes every round; round-robin over an
 * unstable order would not spread evenly.
 * <p>
 * Panic mode: when no runner passed its last health check, the health checker is more likely
 * wrong (a stalled machine, checks timing out) than every runner dead, so the rotation falls back
 * to every runner Eureka lists; the retry and the circuit breakers still keep calls off the dead ones.
 */
public class RunnerRotation extends DelegatingServiceInstanceListSupplier {

    private final RunnerBreakers breakers;
    private final ServiceInstanceListSupplier registered;

    public RunnerRotation(ServiceInstanceListSupplier healthy, ServiceInstanceListSupplier registered, RunnerBreakers breakers) {
        super(healthy);
        this.registered = registered;
        this.breakers = breakers;
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
        return getDelegate().get().flatMap(this::orRegistered).map(this::rotation);
    }

    @Override
    public Flux<List<ServiceInstance>> get(Request request) {
        return getDelegate().get(request).flatMap(this::orRegistered).map(this::rotation);
    }

    private Flux<List<ServiceInstance>> orRegistered(List<ServiceInstance> healthy) {
        return healthy.isEmpty() ? registered.get().take(1) : Flux.just(healthy);
    }

    private List<ServiceInstance> rotation(List<ServiceInstance> instances) {
        return instances.stream()
                .filter(instance -> !breakers.isOpen(instance))
                .sorted(Comparator.comparing(ServiceInstance::getInstanceId))
                .toList();
    }
}
