package dev.ghost.common.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A service under test on a random port, with a real Redis and the {@link TestTokens}. Every test
 * class of a module that uses it without extra properties shares one cached Spring context.
 * Eureka is off; tests of discovery start the real registry instead ({@code TestRegistry}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RealRedisExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "eureka.client.enabled=false",
        "ghost.leader.enabled=false",
        "ghost.security.admin-token=" + TestTokens.ADMIN,
        "ghost.security.service-token=" + TestTokens.SERVICE,
        "ghost.security.token-keys=" + TestTokens.TOKEN_KEY,
        "ghost.security.tokens[0].name=submitter",
        "ghost.security.tokens[0].sha256=" + TestTokens.SUBMIT_SHA256,
        "ghost.security.tokens[0].roles=SUBMIT",
        "ghost.security.tokens[1].name=reader",
        "ghost.security.tokens[1].sha256=" + TestTokens.READ_SHA256,
        "ghost.security.tokens[1].roles=READ",
})
public @interface GhostServiceTest {
}
