package dev.ghost.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every PromQL expression of the provisioned Grafana dashboards names only metrics that the running
 * services export at {@code /actuator/prometheus} (scraped as Prometheus does, with the service
 * token): a renamed or removed metric fails the build instead of leaving a panel blank.
 * {@code -Dghost.dashboards.dir=DIR} checks other dashboards.
 */
@ExtendWith(RealRedisExtension.class)
class GrafanaQueriesTest {

    static final Path DASHBOARDS = Path.of(System.getProperty("ghost.dashboards.dir", "../deploy/grafana/dashboards"));
    /** Which service exports a family of GHOST's own metrics; any other metric every GHOST service exports. */
    static final Map<String, String> OWNERS = Map.of("ghost_health_", "health-aggregator", "ghost_runner_", "runner-service",
            "ghost_alerting_", OpsStack.ML, "ghost_relay_", "relay-service");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN");

    static OpsStack stack;

    @BeforeAll
    static void start() {
        stack = OpsStack.get();
    }

    /** The metric names a PromQL expression selects (not its functions, keywords, labels or variables). */
    static Set<String> metricNames(String expression) {
        String text = STRING.matcher(expression).replaceAll("\"\"");
        text = text.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        text = GROUPING.matcher(text).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher matcher = NAME.matcher(text);
        while (matcher.find()) {
            String name = matcher.group();
            int before = matcher.start() - 1;
            boolean partOfNumberOrVariable = before >= 0 && (Character.isDigit(text.charAt(before)) || text.charAt(before) == '.'
                    || text.charAt(before) == '$');
            boolean function = text.substring(matcher.end()).stripLeading().startsWith("(");
            if (!partOfNumberOrVariable && !function && !KEYWORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** Every {@code expr} of every dashboard file, by "file: panel title". */
    static Map<String, List<String>> expressions() throws IOException {
        Map<String, List<String>> found = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                collect(file.getFileName().toString(), TestHttp.json(Files.readString(file)), found);
            }
        }
        return found;
    }

    private static void collect(String where, JsonNode node, Map<String, List<String>> found) {
        if (node.isObject()) {
            String here = node.hasNonNull("title") && node.has("type") ? where.split(": ")[0] + ": " + node.get("title").stringValue() : where;
            if (node.hasNonNull("expr")) {
                found.computeIfAbsent(here, k -> new ArrayList<>()).add(node.get("expr").stringValue());
            }
            node.properties().forEach(entry -> collect(here, entry.getValue(), found));
        } else if (node.isArray()) {
            node.forEach(child -> collect(where, child, found));
        }
    }

    /** The sample names in a Prometheus text exposition. */
    static Set<String> exported(RunningApp service) {
        String text = TestHttp.get(service.url("/actuator/prometheus"), TestTokens.SERVICE).body();
        Set<String> names = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
                names.add(line.substring(0, end));
            }
        }
        return names;
    }

    @Test
    void theExtractorFindsMetricNamesOnly() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (application, le) (rate(http_server_requests_seconds_bucket"
                + "{uri!~\"/actuator.*\", status=~\"5..\"}[$__rate_interval])))"))
                .containsExactly("http_server_requests_seconds_bucket");
        assertThat(metricNames("count(ghost_health_instance_up < 1) or vector(0)")).containsExactly("ghost_health_instance_up");
        assertThat(metricNames("rate(a_sum[5m]) / rate(a_count[5m]) > 1e9 and on (job) up offset 5m"))
                .containsExactly("a_count", "a_sum", "up");
    }

    @Test
    void everyDashboardQueryNamesMetricsTheServicesExport() throws IOException {
        Map<String, List<String>> expressions = expressions();
        assertThat(expressions).as("dashboards under " + DASHBOARDS.toAbsolutePath()).isNotEmpty();
        Map<String, RunningApp> services = stack.services();
        services.values().forEach(service -> TestHttp.get(service.url("/auth/me"), TestTokens.READ)); // some traffic to count
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Set<String>> exports = new TreeMap<>();
            services.forEach((name, app) -> exports.put(name, exported(app)));
            List<String> missing = new ArrayList<>();
            expressions.forEach((panel, exprs) -> exprs.forEach(expr -> metricNames(expr).forEach(metric -> {
                List<String> owners = OWNERS.entrySet().stream().filter(o -> metric.startsWith(o.getKey()))
                        .map(Map.Entry::getValue).toList();
                for (String owner : owners.isEmpty() ? exports.keySet() : owners) {
                    if (!exports.get(owner).contains(metric)) {
                        missing.add(panel + ": " + metric + " is not exported by " + owner + " (in " + expr + ")");
                    }
                }
            })));
            assertThat(missing).as("metrics the dashboards query but no service exports").isEmpty();
        });
    }
}
