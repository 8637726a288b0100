package dev.ghost.health.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import dev.ghost.registry.TestRegistry;

/**
 * Registers a non-Spring instance with Eureka through its REST API and keeps its lease alive,
 * as any foreign service (a Python or Go app with a Eureka client) would.
 */
public final class EurekaRegistration implements AutoCloseable {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
    private final String appUrl;
    private final String auth;

    private EurekaRegistration(String appUrl, String auth) {
        this.appUrl = appUrl;
        this.auth = auth;
    }

    public static EurekaRegistration register(TestRegistry registry, String app, String instanceId, int port, String healthPath) {
        return register(registry, app, instanceId, "127.0.0.1", port, "http://127.0.0.1:" + port + healthPath);
    }

    /** An instance that declares {@code host} and {@code port} as its address and {@code healthCheckUrl} as its health check. */
    public static EurekaRegistration register(TestRegistry registry, String app, String instanceId, String host, int port,
            String healthCheckUrl) {
        String auth = "Basic " + Base64.getEncoder().encodeToString(
                (TestRegistry.USER + ":" + TestRegistry.PASSWORD).getBytes(StandardCharsets.UTF_8));
        String appUrl = registry.url("/eureka/apps/" + app.toUpperCase());
        EurekaRegistration registration = new EurekaRegistration(appUrl + "/" + instanceId, auth);
        String body = """
                {"instance":{"instanceId":"%1$s","hostName":"%6$s","app":"%2$s","ipAddr":"%6$s",
                 "status":"UP","port":{"$":%3$d,"@enabled":"true"},"securePort":{"$":443,"@enabled":"false"},
                 "healthCheckUrl":"%4$s","statusPageUrl":"http://%6$s:%3$d/",
                 "homePageUrl":"http://%6$s:%3$d/","vipAddress":"%5$s",
                 "dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"},
                 "leaseInfo":{"renewalIntervalInSecs":1,"durationInSecs":10}}}
                """.formatted(instanceId, app.toUpperCase(), port, healthCheckUrl, app, host);
        IntSupplier register = () -> registration.send(HttpRequest.newBuilder(URI.create(appUrl))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        if (register.getAsInt() != 204) {
            throw new IllegalStateException("Eureka refused the registration of " + instanceId);
        }
        // As a Eureka client does: renew the lease, and register again if the registry forgot the instance.
        registration.heartbeat.scheduleAtFixedRate(() -> {
            if (registration.send(HttpRequest.newBuilder(URI.create(registration.appUrl))
                    .PUT(HttpRequest.BodyPublishers.noBody())) == 404) {
                register.getAsInt();
            }
        }, 1, 1, TimeUnit.SECONDS);
        return registration;
    }

    /** The status, or 0 when the registry did not answer. */
    private int send(HttpRequest.Builder request) {
        try {
            return http.send(request.header("Authorization", auth).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Cancels the lease, as a well-behaved client does on shutdown. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        send(HttpRequest.newBuilder(URI.create(appUrl)).DELETE());
    }
}
