package dev.ghost.health.stack;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.health.HealthAggregatorApplication;
import dev.ghost.health.fake.FakeInstance;
import dev.ghost.registry.TestRegistry;
import dev.ghost.sample.SampleServiceApplication;

/**
 * One real stack for the integration tests, started once per test JVM: the Eureka registry,
 * the aggregator polling every second, two instances of a GHOST-style service ("orders", the
 * common security and actuator setup), and a foreign instance registered through Eureka's REST
 * API that has a health page and nothing else. Tests that stop instances start their own.
 */
public final class HealthStack {

    /** Unique per run: the shared CI Redis keeps keys of earlier runs. */
    public static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    public static final String ORDERS = "orders-" + RUN;
    public static final String LEGACY = "legacy-" + RUN;

    /** Leases of 3 s (the TestApps default) expire on a machine this loaded; the registry then churns. */
    static final String LEASE_SECONDS = "10";

    private static HealthStack stack;

    public final TestRegistry registry;
    public final RunningApp aggregator;
    public final RunningApp orders1;
    public final RunningApp orders2;
    public final FakeInstance legacy;
    public final EurekaRegistration legacyRegistration;

    private HealthStack() {
        RealRedisExtension.url();
        registry = TestRegistry.start();
        aggregator = TestApps.start(HealthAggregatorApplication.class, aggregatorProperties());
        orders1 = service(ORDERS);
        orders2 = service(ORDERS);
        legacy = FakeInstance.start(LEGACY, Executors.newCachedThreadPool(), null);
        legacyRegistration = EurekaRegistration.register(registry, LEGACY, "legacy-1-" + RUN, legacy.port(), "/actuator/health");
    }

    public static synchronized HealthStack get() {
        if (stack == null) {
            stack = new HealthStack();
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
        }
        return stack;
    }

    /** A GHOST-style service instance registered with the stack's registry. */
    public RunningApp service(String name) {
        Map<String, String> properties = new HashMap<>(registry.clientProperties());
        properties.put("spring.application.name", name);
        properties.put("eureka.instance.lease-expiration-duration-in-seconds", LEASE_SECONDS);
        return TestApps.start(SampleServiceApplication.class, properties);
    }

    private Map<String, String> aggregatorProperties() {
        Map<String, String> properties = new HashMap<>(registry.clientProperties());
        properties.put("eureka.instance.lease-expiration-duration-in-seconds", LEASE_SECONDS);
        // No relay in this stack: the aggregator's events go to the ghost:events stream, where the tests read them.
        properties.put("ghost.events.transport", "redis");
        properties.put("ghost.health.interval", "1s");
        properties.put("ghost.health.confirm-within", "900ms");
        properties.put("ghost.health.settle-after", "3s");
        properties.put("ghost.health.forget-after", "30s");
        properties.put("ghost.health.cache-ttl", "1s");
        properties.put("ghost.health.credentialed-services", "health-aggregator," + ORDERS + ",victim-" + RUN + ",shop-" + RUN);
        return properties;
    }

    private void close() {
        for (AutoCloseable part : new AutoCloseable[] {legacyRegistration, legacy, orders1, orders2, aggregator, registry}) {
            try {
                part.close();
            } catch (Exception e) {
                // the JVM is exiting; nothing is left to protect
            }
        }
    }
}
