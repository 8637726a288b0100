package dev.ghost.health.config;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.netflix.discovery.EurekaClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.interceptor.CacheErrorHandler;
import org.springframework.cloud.client.loadbalancer.DeferringLoadBalancerInterceptor;
import org.springframework.cloud.netflix.eureka.EurekaClientConfigBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.BatchStrategies;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.config.GhostDiscoveryProperties;
import dev.ghost.common.config.GhostInstance;
import dev.ghost.common.event.EventPublisher;
import dev.ghost.common.leader.Leadership;
import dev.ghost.common.redis.RedisKeys;
import dev.ghost.common.security.GhostSecurityProperties;
import dev.ghost.health.HealthKeys;
import dev.ghost.health.dashboard.UpstreamClient;
import dev.ghost.health.discovery.EurekaTargets;
import dev.ghost.health.events.HealthOutput;
import dev.ghost.health.events.TransitionLedger;
import dev.ghost.health.fleet.Fleet;
import dev.ghost.health.fleet.FleetListener;
import dev.ghost.health.fleet.FleetView;
import dev.ghost.health.fleet.ServiceView;
import dev.ghost.health.history.HistoryStore;
import dev.ghost.health.history.HistoryView;
import dev.ghost.health.probe.AsyncLimiter;
import dev.ghost.health.probe.ProbeClient;
import dev.ghost.health.probe.Prober;
import dev.ghost.health.watchdog.AlertingWatchdog;
import dev.ghost.health.web.HealthQueries;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({HealthProperties.class, GhostDiscoveryProperties.class})
@EnableCaching
public class HealthConfiguration implements CachingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(HealthConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    HistoryStore historyStore(StringRedisTemplate redis, JsonMapper json, HealthProperties properties) {
        return new HistoryStore(redis, json, properties.retention());
    }

    @Bean
    HealthMeters healthMeters(MeterRegistry registry) {
        return new HealthMeters(registry);
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService probeExecutor() {
        return ProbeClient.executor();
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService healthOutputExecutor() {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "health-output");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    Prober prober(HealthProperties properties, ExecutorService probeExecutor) {
        HttpClient client = ProbeClient.create(properties.timeout(), probeExecutor);
        return new Prober(client, new AsyncLimiter(properties.maxConcurrency()), properties.timeout());
    }

    @Bean
    TransitionLedger transitionLedger(StringRedisTemplate redis, JsonMapper json, HealthProperties properties) {
        return new TransitionLedger(redis, json, HealthKeys.ledger(properties.namespace()));
    }

    /** Every member of a pair probes; only the leader tells (see HealthOutput). */
    @Bean
    HealthOutput healthOutput(EventPublisher events, HistoryStore history, CacheManager cacheManager, HealthMeters meters,
            TransitionLedger ledger, Leadership leadership, ExecutorService healthOutputExecutor, Clock clock,
            HealthProperties properties, GhostInstance instance) {
        HealthOutput output = new HealthOutput(events, history, cacheManager, meters, ledger, leadership, healthOutputExecutor,
                clock, instance.id(), properties.metricBatchSize());
        leadership.onChange(output);
        return output;
    }

    @Bean
    AlertingWatchdog alertingWatchdog(HealthProperties properties, Leadership leadership, StringRedisTemplate redis, JsonMapper json,
            Clock clock) {
        return new AlertingWatchdog(properties.watchdog(), leadership, redis, HealthKeys.watchdogPaged(properties.namespace()), json,
                clock);
    }

    @Bean(initMethod = "start")
    Fleet fleet(HealthProperties properties, Prober prober, HealthOutput output, AlertingWatchdog watchdog,
            ExecutorService healthOutputExecutor, Clock clock) {
        return new Fleet(properties, prober, FleetListener.all(List.of(output, watchdog)), healthOutputExecutor, clock);
    }

    /** The registries themselves are probed too, at the URLs this service's Eureka client uses, as this service. */
    @Bean
    EurekaTargets eurekaTargets(ObjectProvider<EurekaClient> eureka, ObjectProvider<EurekaClientConfigBean> eurekaConfig,
            Fleet fleet, HealthProperties properties, GhostSecurityProperties security, GhostDiscoveryProperties registryCredential) {
        EurekaClientConfigBean client = eurekaConfig.getIfAvailable();
        String registryUrls = client == null ? "" : String.join(",", client.getEurekaServerServiceUrls(EurekaClientConfigBean.DEFAULT_ZONE));
        String registryAuthorization = registryCredential.password().isBlank() ? null : "Basic " + Base64.getEncoder()
                .encodeToString((registryCredential.user() + ":" + registryCredential.password()).getBytes(StandardCharsets.UTF_8));
        return new EurekaTargets(eureka, fleet, properties.credentialedServices(), properties.probePaths(), security.serviceToken(),
                registryUrls, registryAuthorization);
    }

    @Bean
    HealthQueries healthQueries(Fleet fleet, HistoryStore history, Clock clock) {
        return new HealthQueries(fleet, history, clock);
    }

    /**
     * Calls by service name through Eureka: the interceptor is what {@code @LoadBalanced} adds; used
     * directly so no load-balanced RestClient.Builder bean leaks into the Eureka client's own transport.
     */
    @Bean
    UpstreamClient upstreamClient(ObjectProvider<DeferringLoadBalancerInterceptor> loadBalancer, HealthProperties properties) {
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(properties.upstreamTimeout()).build());
        factory.setReadTimeout(properties.upstreamTimeout());
        RestClient.Builder builder = RestClient.builder().requestFactory(factory);
        loadBalancer.ifAvailable(builder::requestInterceptor);
        return new UpstreamClient(builder.build());
    }

    @Bean
    RedisCacheManager cacheManager(RedisConnectionFactory connections, JsonMapper json, HealthProperties properties) {
        RedisCacheConfiguration defaults = RedisCacheConfiguration.defaultCacheConfig()
                .entryTtl(properties.effectiveCacheTtl())
                .disableCachingNullValues()
                .computePrefixWith(name -> RedisKeys.CACHE_PREFIX + name + "::");
        // One concrete type per cache: no polymorphic type information in Redis to trust on the way back.
        Map<String, RedisCacheConfiguration> caches = Map.of(
                HealthKeys.CACHE_SUMMARY, defaults.serializeValuesWith(pair(json, FleetView.class)),
                HealthKeys.CACHE_SERVICE, defaults.serializeValuesWith(pair(json, ServiceView.class)),
                HealthKeys.CACHE_HISTORY, defaults.serializeValuesWith(pair(json, HistoryView.class)));
        return RedisCacheManager.builder(RedisCacheWriter.nonLockingRedisCacheWriter(connections, BatchStrategies.scan(500)))
                .cacheDefaults(defaults)
                .withInitialCacheConfigurations(caches)
                .disableCreateOnMissingCache()
                .build();
    }

    private static <T> SerializationPair<T> pair(JsonMapper json, Class<T> type) {
        return SerializationPair.fromSerializer(new JacksonJsonRedisSerializer<>(json, type));
    }

    /** A cache that cannot be reached is skipped: the answer is computed, not refused. */
    @Override
    public CacheErrorHandler errorHandler() {
        return new CacheErrorHandler() {
            @Override
            public void handleCacheGetError(RuntimeException e, Cache cache, Object key) {
                log.debug("cache {} get failed: {}", cache.getName(), e.toString());
            }

            @Override
            public void handleCachePutError(RuntimeException e, Cache cache, Object key, Object value) {
                log.debug("cache {} put failed: {}", cache.getName(), e.toString());
            }

            @Override
            public void handleCacheEvictError(RuntimeException e, Cache cache, Object key) {
                log.debug("cache {} evict failed: {}", cache.getName(), e.toString());
            }

            @Override
            public void handleCacheClearError(RuntimeException e, Cache cache) {
                log.debug("cache {} clear failed: {}", cache.getName(), e.toString());
            }
        };
    }
}
