package dev.ghost.relay.patch;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    public List<Map<String, Object>> runners() {
        Set<String> rotation = runners.inRotation().stream().map(ServiceInstance::getInstanceId).collect(Collectors.toSet());
        return discovery.getInstances(RunnerGateway.SERVICE).stream()
                .sorted(Comparator.comparing(ServiceInstance::getInstanceId))
                .map(instance -> {
                    Map<String, Object> runner = new LinkedHashMap<>();
                    runner.put("instanceId", instance.getInstanceId());
                    runner.put("uri", instance.getUri().toString());
                    runner.put("inRotation", rotation.contains(instance.getInstanceId()));
                    runner.put("circuit", breakers.forInstance(instance).getState().name());
                    return runner;
                })
                .toList();
    }
}
