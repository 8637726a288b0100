package dev.ghost.common.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.ghost.common.config.GhostInstanceAutoConfiguration;
import dev.ghost.common.test.RealRedisExtension;

/**
 * Two members of one service on a real Redis, wired by the auto-configuration as a service is: one
 * leads; when it stops, or loses Redis (as a member that dies stops renewing), the other takes over
 * once the lease has run out (Spring Integration interrupts its election thread on stop, so the
 * unlock does not always reach Redis: the lease is the bound).
 */
@ExtendWith(RealRedisExtension.class)
class LeadershipTest {

    private final String service = "pair-" + UUID.randomUUID();

    private ApplicationContextRunner member(String id) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, GhostInstanceAutoConfiguration.class,
                        GhostLeaderAutoConfiguration.class))
                .withPropertyValues("spring.data.redis.url=" + RealRedisExtension.url(), "spring.application.name=" + service,
                        "eureka.instance.instance-id=" + id, "ghost.leader.lease=3s", "ghost.leader.heartbeat=500ms",
                        "ghost.leader.retry=100ms");
    }

    private static Leadership leadership(ConfigurableApplicationContext context) {
        return context.getBean(Leadership.class);
    }

    @Test
    void oneLeadsAndAStoppedLeaderIsReplacedWithinTheLease() {
        member("a").run(a -> member("b").run(b -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> leadership(a).isLeader() || leadership(b).isLeader());
            Thread.sleep(1500); // several heartbeats: still exactly one
            assertThat(leadership(a).isLeader()).isNotEqualTo(leadership(b).isLeader());
            ConfigurableApplicationContext leader = leadership(a).isLeader() ? a : b;
            ConfigurableApplicationContext standby = leader == a ? b : a;

            leader.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> leadership(standby).isLeader());
        }));
    }

    @Test
    void aLeaderThatLosesRedisStopsLeadingAndTheOtherTakesOverAfterTheLease() {
        member("a").run(a -> member("b").run(b -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> leadership(a).isLeader() || leadership(b).isLeader());
            ConfigurableApplicationContext leader = leadership(a).isLeader() ? a : b;
            ConfigurableApplicationContext standby = leader == a ? b : a;

            leader.getBean(LettuceConnectionFactory.class).stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> !leadership(leader).isLeader());
            await().atMost(Duration.ofSeconds(10)).until(() -> leadership(standby).isLeader());
            assertThat(leadership(standby).member()).isNotEqualTo(leadership(leader).member());
        }));
    }

    @Test
    void withElectionsOffTheMemberAlwaysLeads() {
        member("alone").withPropertyValues("ghost.leader.enabled=false").run(context -> {
            assertThat(leadership(context).isLeader()).isTrue();
            assertThat(leadership(context).isElected()).isFalse();
            assertThat(context).doesNotHaveBean(org.springframework.integration.support.leader.LockRegistryLeaderInitiator.class);
        });
    }
}
