package dev.ghost.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Figures read from a real scrape of a GHOST-style service, and rates and p99 from two scrapes. */
class PrometheusTextTest {

    static String capture() throws IOException {
        try (InputStream in = PrometheusTextTest.class.getResourceAsStream("/prometheus/ghost-service.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheFiguresOfARealScrape() throws IOException {
        MetricsSnapshot snapshot = PrometheusText.parse(capture(), 1_000);
        assertThat(snapshot.processCpu()).isNotNull().isBetween(0.0, 1.0);
        assertThat(snapshot.systemCpu()).isNotNull().isBetween(0.0, 1.0);
        assertThat(snapshot.heapUsed()).isPositive();
        assertThat(snapshot.heapMax()).isGreaterThan(snapshot.heapUsed());
        assertThat(snapshot.diskFree()).isPositive();
        assertThat(snapshot.uptimeSeconds()).isPositive();
        // 20 calls of /whoami; the actuator calls of the same scrape are not counted
        assertThat(snapshot.httpRequests()).isEqualTo(20.0);
        assertThat(snapshot.httpErrors()).isZero();
        assertThat(snapshot.latencyBuckets().lastEntry().getValue()).isEqualTo(20.0);
        assertThat(snapshot.ghost()).isEmpty();
    }

    @Test
    void ratesErrorsAndP99ComeFromTheDifferenceOfTwoScrapes() {
        String before = """
                # TYPE http_server_requests_seconds histogram
                http_server_requests_seconds_bucket{method="GET",status="200",uri="/a",le="0.01"} 100
                http_server_requests_seconds_bucket{method="GET",status="200",uri="/a",le="0.1"} 100
                http_server_requests_seconds_bucket{method="GET",status="200",uri="/a",le="1.0"} 100
                http_server_requests_seconds_bucket{method="GET",status="200",uri="/a",le="+Inf"} 100
                http_server_requests_seconds_count{method="GET",status="200",uri="/a"} 100
                http_server_requests_seconds_count{method="GET",status="200",uri="/actuator/health"} 7
                process_uptime_seconds 50
                ghost_runner_queue_depth{target="default"} 2
                ghost_runner_queue_depth{target="web"} 1
                """;
        // 10 s later: 90 more fast requests, 10 slow ones that failed
        String after = """
                http_server_requests_seconds_bucket{method="GET",status="200",uri="/a",le="0.01"} 190
                http_server_requests_seconds_bucket{method="GET",status="200",uri="/a",le="0.1"} 190
                http_server_requests_seconds_bucket{method="GET",status="200",uri="/a",le="1.0"} 190
                http_server_requests_seconds_bucket{method="GET",status="200",uri="/a",le="+Inf"} 190
                http_server_requests_seconds_bucket{method="GET",status="500",uri="/a",le="0.01"} 0
                http_server_requests_seconds_bucket{method="GET",status="500",uri="/a",le="0.1"} 0
                http_server_requests_seconds_bucket{method="GET",status="500",uri="/a",le="1.0"} 10
                http_server_requests_seconds_bucket{method="GET",status="500",uri="/a",le="+Inf"} 10
                http_server_requests_seconds_count{method="GET",status="200",uri="/a"} 190
                http_server_requests_seconds_count{method="GET",status="500",uri="/a"} 10
                http_server_requests_seconds_count{method="GET",status="200",uri="/actuator/health"} 70
                process_uptime_seconds 60
                ghost_runner_queue_depth{target="default"} 4
                ghost_runner_running 1
                """;
        Figures figures = Figures.between(PrometheusText.parse(before, 0), PrometheusText.parse(after, 10_000));
        assertThat(figures.requestRate()).isCloseTo(10.0, within(1e-9));
        assertThat(figures.errorRate()).isCloseTo(1.0, within(1e-9));
        assertThat(figures.errorRatio()).isCloseTo(0.1, within(1e-9));
        // rank 99 of 100: the 9th of the 10 requests in (0.1, 1.0] -> 0.1 + 0.9 * 0.9 s
        assertThat(figures.p99Ms()).isCloseTo(910.0, within(1e-6));
        assertThat(figures.queueDepth()).isEqualTo(4.0);
        assertThat(figures.running()).isEqualTo(1.0);
        assertThat(figures.restarted()).isNull();
    }

    @Test
    void aRestartIsSeenAndNoRateIsMadeAcrossIt() {
        MetricsSnapshot before = PrometheusText.parse("process_uptime_seconds 500\nhttp_server_requests_seconds_count{uri=\"/a\"} 900\n", 0);
        MetricsSnapshot after = PrometheusText.parse("process_uptime_seconds 3\nhttp_server_requests_seconds_count{uri=\"/a\"} 4\n", 10_000);
        Figures figures = Figures.between(before, after);
        assertThat(figures.restarted()).isTrue();
        assertThat(figures.requestRate()).isNull();
    }
}
