package dev.ghost.common.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a GHOST service on its {@code *Application} class. The name becomes the default
 * {@code spring.application.name} and the name of its configuration file ({@code <name>.yml}
 * instead of {@code application.yml}), so several services can start in one JVM, as the
 * integration tests do, each reading its own configuration.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface GhostService {

    String value();
}
