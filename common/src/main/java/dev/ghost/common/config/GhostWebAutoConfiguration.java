package dev.ghost.common.config;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.problem.GhostProblemHandler;
import dev.ghost.common.problem.ProblemErrorController;
import dev.ghost.common.problem.ProblemWriter;
import dev.ghost.common.web.BodySizeLimitFilter;
import dev.ghost.common.web.GhostHttpProperties;

/** Problem details for every error and the request body limit, in every GHOST web service. */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(GhostHttpProperties.class)
public class GhostWebAutoConfiguration {

    @Bean
    ProblemWriter problemWriter(JsonMapper jsonMapper) {
        return new ProblemWriter(jsonMapper);
    }

    @Bean
    GhostProblemHandler ghostProblemHandler() {
        return new GhostProblemHandler();
    }

    @Bean
    ProblemErrorController problemErrorController() {
        return new ProblemErrorController();
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(
            GhostHttpProperties http, ProblemWriter problems) {
        FilterRegistrationBean<BodySizeLimitFilter> registration =
                new FilterRegistrationBean<>(new BodySizeLimitFilter(http.maxBodySize(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
