package dev.ghost.health.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.health.HealthKeys;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.health.fleet.Sample;
import dev.ghost.health.fleet.Status;
import dev.ghost.health.probe.Figures;

/** History in a real Redis: capped to the retention (trimmed and expiring), downsampled per step. */
class HistoryStoreTest {

    static LettuceConnectionFactory connections;
    static StringRedisTemplate redis;

    @BeforeAll
    static void connect() {
        URI url = URI.create(RealRedisExtension.url());
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(url.getHost(), url.getPort()));
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    @Test
    void historyIsCappedToTheRetention() {
        HistoryStore store = new HistoryStore(redis, JsonMapper.builder().build(), Duration.ofMinutes(10));
        String instance = "capped-" + UUID.randomUUID();
        long now = System.currentTimeMillis();
        List<Sample> old = new ArrayList<>();
        for (int minute = 30; minute > 10; minute--) {
            old.add(sample(instance, now - minute * 60_000L, true, 0.5));
        }
        store.write(old);
        store.write(List.of(sample(instance, now - 5 * 60_000L, true, 0.5), sample(instance, now, true, 0.5)));

        // Everything older than 10 minutes was trimmed by the last write; the key expires with the retention.
        assertThat(redis.opsForZSet().size(HealthKeys.history(instance))).isEqualTo(2);
        assertThat(redis.getExpire(HealthKeys.history(instance))).isBetween(590L, 600L);
        assertThat(store.instances("capped", Instant.ofEpochMilli(now - 60 * 60_000L))).contains(instance);
        assertThat(store.read(instance, Instant.ofEpochMilli(now - 60 * 60_000L), Duration.ofSeconds(10))).hasSize(2);
    }

    @Test
    void longRangesAreDownsampledToOnePointPerStep() {
        HistoryStore store = new HistoryStore(redis, JsonMapper.builder().build(), Duration.ofHours(24));
        String service = "downsampled-" + UUID.randomUUID();
        String instance = service + "-1";
        long start = System.currentTimeMillis() - 3_600_000L;
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 360; i++) { // an hour of 10-second polls
            boolean up = i != 100; // one failed poll in the second 10-minute step
            samples.add(new Sample(service, instance, start + i * 10_000L, up, up ? Status.UP : Status.DOWN, 10 + i % 2,
                    figures(i < 60 ? 0.2 : 0.4)));
        }
        store.write(samples);

        List<HistoryStore.Point> points = store.read(instance, Instant.ofEpochMilli(start), Duration.ofMinutes(10));
        assertThat(points).hasSize(6);
        assertThat(points).allSatisfy(p -> assertThat(p.n()).isEqualTo(60));
        assertThat(points.get(0).t()).isEqualTo(start);
        assertThat(points.get(0).f().get("cpuProcess")).isCloseTo(0.2, within(1e-9));
        assertThat(points.get(2).f().get("cpuProcess")).isCloseTo(0.4, within(1e-9));
        assertThat(points.get(1).s()).isEqualTo(Status.DOWN); // the worst status in the step
        assertThat(points.get(1).u()).isCloseTo(59 / 60.0, within(1e-9));
        assertThat(points.get(2).s()).isEqualTo(Status.UP);
        assertThat(points.get(0).l()).isEqualTo(10);
        assertThat(store.instances(service, Instant.ofEpochMilli(start))).containsExactly(instance);
    }

    private static Sample sample(String instance, long at, boolean up, double cpu) {
        return new Sample("capped", instance, at, up, up ? Status.UP : Status.DOWN, 5, figures(cpu));
    }

    private static Figures figures(double cpu) {
        return new Figures(cpu, 0.5, 1e8, 5e8, 1e10, 2e10, 1.0, 0.0, 0.0, 12.0, 3600.0, null, null, null);
    }
}
