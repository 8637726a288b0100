import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The baseline of bench/runner/dedup.sh: a bare Spring MVC endpoint on the same Tomcat and Lettuce
 * as the runner, doing what a dedup hit needs at the least: check the bearer token, SHA-256 of the
 * body, Redis SET NX, and GET of the stored answer, which it returns.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
        DataRedisAutoConfiguration.class})
public class BareDedup {

    public static void main(String[] args) {
        SpringApplication.run(BareDedup.class, args);
    }

    /** Registered as a member of this configuration class. */
    @RestController
    static class Endpoint {
        private final StringRedisTemplate redis;
        private final byte[] expected;

        Endpoint(StringRedisTemplate redis) {
            this.redis = redis;
            this.expected = ("Bearer " + System.getenv("BENCH_TOKEN")).getBytes(StandardCharsets.UTF_8);
        }

        @PostMapping(value = "/patches", produces = "application/json")
        ResponseEntity<String> submit(@RequestBody byte[] body, @RequestHeader("Authorization") String authorization) throws Exception {
            if (!MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8))) {
                return ResponseEntity.status(401).build();
            }
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            String key = "bench:bare:" + hash;
            redis.opsForValue().setIfAbsent(key, "{\"hash\":\"" + hash + "\",\"status\":\"SUCCEEDED\"}");
            return ResponseEntity.ok().header("Ghost-Dedup", "hit").body(redis.opsForValue().get(key));
        }
    }
}
