package dev.ghost.health.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.health.fake.FakeInstance;
import dev.ghost.health.fleet.Fleet;
import dev.ghost.health.stack.EurekaRegistration;
import dev.ghost.health.stack.HealthStack;

/**
 * An instance's registration is trusted with its own address and nothing more: a health check URL
 * pointing at another host or port is never called, and an instance registered at a link-local
 * (cloud metadata) address is never probed at all.
 */
@ExtendWith(RealRedisExtension.class)
class ProbeTargetsTest {

    @Test
    void aDeclaredHealthCheckElsewhereIsNeverCalledAndLinkLocalAddressesNeverProbed() throws Exception {
        HealthStack stack = HealthStack.get();
        String decoy = "decoy-" + HealthStack.RUN;
        String metadata = "metadata-" + HealthStack.RUN;
        try (FakeInstance registered = FakeInstance.start(decoy, Executors.newCachedThreadPool(), null);
                FakeInstance elsewhere = FakeInstance.start("elsewhere", Executors.newCachedThreadPool(), null);
                EurekaRegistration redirected = EurekaRegistration.register(stack.registry, decoy, decoy + "-1", "127.0.0.1",
                        registered.port(), "http://127.0.0.1:" + elsewhere.port() + "/actuator/health");
                EurekaRegistration cloud = EurekaRegistration.register(stack.registry, metadata, metadata + "-1", "169.254.169.254",
                        80, "http://169.254.169.254/latest/meta-data/iam/security-credentials/")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> registered.healthCalls() > 0);
            Fleet fleet = stack.aggregator.bean(Fleet.class);
            long round = fleet.view().lastRound().number();
            await().atMost(Duration.ofSeconds(30)).until(() -> fleet.view().lastRound().number() >= round + 3);

            assertThat(elsewhere.healthCalls()).as("calls to the host and port the health check URL named").isZero();
            assertThat(TestHttp.get(stack.aggregator.url("/health/services/" + metadata), TestTokens.READ).statusCode())
                    .as("an instance at a link-local address is not watched").isEqualTo(404);
        }
    }
}
