package dev.ghost.relay.patch;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What on-call asks first when patches stall: which runners exist, and which ones the relay sends work to. */
@RestController
public class RunnersController {

    /**
     * @param inRotation patches go to it (healthy and its circuit not open)
     * @param circuit    its circuit breaker's state: CLOSED, OPEN, HALF_OPEN
     */
    public record Runner(String instanceId, String uri, boolean inRotation, String circuit) {
    }

    private final DiscoveryClient discovery;
    private final RunnerGateway runners;
    private final RunnerBreakers breakers;

    public RunnersController(DiscoveryClient discovery, RunnerGateway runners, RunnerBreakers breakers) {
        this.discovery = discovery;
        this.runners = runners;
        this.breakers = breakers;
    }

    /** Every runner registered in Eureka: in rotation (healthy, circuit closed) or not, and its circuit's state. */
    @GetMapping("/relay/runners")
    @PreAuthorize("hasRole('READ')")
    public List<Runner> runners() {
        Set<String> rotation = runners.inRotation().stream().map(ServiceInstance::getInstanceId).collect(Collectors.toSet());
        return discovery.getInstances(RunnerGateway.SERVICE).stream()
                .sorted(Comparator.comparing(ServiceInstance::getInstanceId))
                .map(instance -> new Runner(instance.getInstanceId(), instance.getUri().toString(),
                        rotation.contains(instance.getInstanceId()), breakers.forInstance(instance).getState().name()))
                .toList();
    }
}
