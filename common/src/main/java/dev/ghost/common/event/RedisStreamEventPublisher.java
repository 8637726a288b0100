package dev.ghost.common.event;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.redis.RedisKeys;

/** Appends events to the capped {@code ghost:events} stream. */
public class RedisStreamEventPublisher implements EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(RedisStreamEventPublisher.class);
    static final long MAX_LENGTH = 100_000;

    private final StringRedisTemplate redis;
    private final JsonMapper json;

    public RedisStreamEventPublisher(StringRedisTemplate redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
    }

    @Override
    public void publish(GhostEvent event) {
        MapRecord<String, String, String> record = StreamRecords.newRecord()
                .in(RedisKeys.EVENTS)
                .ofMap(Map.of("type", event.type(), "event", json.writeValueAsString(event)));
        try {
            redis.opsForStream().add(record, XAddOptions.maxlen(MAX_LENGTH).approximateTrimming(true));
        } catch (RuntimeException e) {
            log.warn("Event {} ({}) not recorded: {}", event.id(), event.type(), e.getMessage());
        }
    }
}
