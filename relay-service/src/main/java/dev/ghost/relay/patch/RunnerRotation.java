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
 */
public class RunnerRotation extends DelegatingServiceInstanceListSupplier {

    private final RunnerBreakers breakers;

    public RunnerRotation(ServiceInstanceListSupplier delegate, RunnerBreakers breakers) {
        super(delegate);
        this.breakers = breakers;
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
        return getDelegate().get().map(this::rotation);
    }

    @Override
    public Flux<List<ServiceInstance>> get(Request request) {
        return getDelegate().get(request).map(this::rotation);
    }

    private List<ServiceInstance> rotation(List<ServiceInstance> instances) {
        return instances.stream()
                .filter(instance -> !breakers.isOpen(instance))
                .sorted(Comparator.comparing(ServiceInstance::getInstanceId))
                .toList();
    }
}
