package dev.ghost.common.web;

import java.time.Duration;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;

/**
 * Request factories over a pooled Apache HttpClient 5, for service-to-service calls. Chosen over the
 * JDK client, which on Java 17 starts threads per request on a 2-core machine (STACK.md, gotcha 8);
 * connections are kept alive and reused, idle ones evicted.
 */
public final class PooledHttp {

    private PooledHttp() {
    }

    /**
     * A factory with its own pool. {@code readTimeout} zero means none (for long streams);
     * {@code maxPerRoute} bounds the connections to one instance.
     */
    public static HttpComponentsClientHttpRequestFactory requestFactory(Duration connectTimeout, Duration readTimeout,
            int maxPerRoute) {
        CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                                .build())
                        .setMaxConnPerRoute(maxPerRoute)
                        .setMaxConnTotal(maxPerRoute * 8)
                        .build())
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
        HttpComponentsClientHttpRequestFactory factory = new HttpComponentsClientHttpRequestFactory(client);
        factory.setReadTimeout(readTimeout);
        return factory;
    }
}
