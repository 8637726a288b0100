package dev.ghost.common.leader;

import java.time.Clock;

import com.netflix.appinfo.ApplicationInfoManager;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.redis.util.RedisLockRegistry;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;

import dev.ghost.common.config.GhostInstance;
import dev.ghost.common.redis.RedisKeys;

/**
 * Leader election for the services that run in pairs (those with spring-integration-redis on their
 * class path): one lock per service in Redis ({@code ghost:{leader}:<service>}), held by the
 * member that acts and renewed every heartbeat. A member that stops releases it at once; one that
 * dies loses it when the lease runs out.
 */
@AutoConfiguration(afterName = "org.springframework.cloud.netflix.eureka.EurekaClientAutoConfiguration")
@ConditionalOnClass({LockRegistryLeaderInitiator.class, RedisLockRegistry.class})
@EnableConfigurationProperties(LeaderProperties.class)
public class GhostLeaderAutoConfiguration {

    @Bean
    Leadership leadership(GhostInstance instance, LeaderProperties properties) {
        return properties.enabled() ? new Leadership(instance.service(), instance.id(), Clock.systemUTC())
                : Leadership.alone(instance.service(), instance.id(), Clock.systemUTC());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "ghost.leader.enabled", matchIfMissing = true)
    static class Election {

        @Bean(destroyMethod = "destroy")
        RedisLockRegistry ghostLeaderLocks(RedisConnectionFactory redis, LeaderProperties properties) {
            return new RedisLockRegistry(redis, RedisKeys.PREFIX + RedisKeys.hashTag("leader"), properties.lease());
        }

        @Bean
        LockRegistryLeaderInitiator ghostLeaderInitiator(RedisLockRegistry locks, Leadership leadership,
                LeaderProperties properties) {
            LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(locks,
                    new DefaultCandidate(leadership.member(), leadership.role()));
            initiator.setHeartBeatMillis(properties.heartbeat().toMillis());
            initiator.setBusyWaitMillis(properties.retry().toMillis());
            return initiator;
        }

        @Bean
        @ConditionalOnClass(ApplicationInfoManager.class)
        @ConditionalOnBean(ApplicationInfoManager.class)
        @ConditionalOnProperty(name = "ghost.leader.standby-unavailable", havingValue = "true")
        StandbyOutOfService standbyOutOfService(ApplicationInfoManager registration, Leadership leadership) {
            StandbyOutOfService standby = new StandbyOutOfService(registration, leadership);
            leadership.onChange(standby);
            return standby;
        }
    }
}
