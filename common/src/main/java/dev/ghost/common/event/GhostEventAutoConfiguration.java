package dev.ghost.common.event;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default {@link EventPublisher}: the capped Redis stream {@code ghost:events}. A service
 * that routes events otherwise (the relay's hub) declares its own bean and this one steps aside.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class, afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnBean({StringRedisTemplate.class, JsonMapper.class})
public class GhostEventAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(EventPublisher.class)
    EventPublisher redisStreamEventPublisher(StringRedisTemplate redis, JsonMapper json) {
        return new RedisStreamEventPublisher(redis, json);
    }
}
