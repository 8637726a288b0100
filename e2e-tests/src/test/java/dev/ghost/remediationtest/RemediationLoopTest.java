package dev.ghost.remediationtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.test.AlertingStack;
import dev.ghost.alerting.test.SlackInteractions;
import dev.ghost.alerting.test.SlackStandIn;
import dev.ghost.common.event.GhostEvent;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.e2e.support.GhostServices;
import dev.ghost.health.HealthAggregatorApplication;
import dev.ghost.registry.TestRegistry;
import dev.ghost.runner.RunnerApplication;

/**
 * Closing the loop (issue 15), every GHOST service real and in this JVM: a service registered in
 * Eureka goes DOWN because a file in its workspace is wrong; the health-aggregator sees it; ml-monitor's
 * alerting posts to Slack (a local stand-in of the Web API, bot-token mode) with a "Run fix-config"
 * button; a signed click of an allowed Slack user runs the runbook's patch through the relay on a real
 * runner (sandboxed); the file is right again, the instance reports UP, and only then is the alert
 * resolved, once. Unsigned, late and unknown clicks run nothing; a runbook that does not help re-pages;
 * automatic mode keeps to its rate limit and to silences. Names carry the run's id: a long-lived
 * shared Redis never mixes runs.
 */
@ExtendWith(RealRedisExtension.class)
class RemediationLoopTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String ML = "ml-monitor-" + RUN;
    /** The watched service, and the runner workspace holding its configuration. */
    private static final String SHOP = "shop-" + RUN;
    /** Services only events speak of (an instance that stays down whatever runs). */
    private static final String STUCK = "stuck-" + RUN;
    private static final String AUTO = "auto-" + RUN;
    private static final String HUSHED = "hushed-" + RUN;
    private static final String SCRATCH = "scratch-" + RUN;
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String ALICE = "U0ALICE" + RUN.toUpperCase().replaceAll("[^A-Z0-9]", "");
    private static final String READER = "U0READER";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static SlackStandIn slack;
    static SlackInteractions clicks;
    static TestRegistry registry;
    static Path home;
    static RunningApp runner;
    static RunningApp relay;
    static RunningApp ml;
    static RunningApp health;
    static RunningApp shop;

    @BeforeAll
    static void startTheStack() throws IOException {
        slack = new SlackStandIn();
        home = Files.createTempDirectory("ghost-remediation");
        Files.createDirectories(home.resolve(SHOP));
        Files.writeString(home.resolve(SHOP).resolve("app.conf"), "mode=ok\n");
        registry = TestRegistry.start();

        Map<String, String> runnerProperties = discovery();
        runnerProperties.put("ghost.runner.workspaces." + SHOP, home.resolve(SHOP).toString());
        runnerProperties.put("ghost.runner.workspaces." + SCRATCH, home.resolve(SCRATCH).toString());
        runnerProperties.put("ghost.runner.state-dir", home.resolve("runner-state").toString());
        runner = TestApps.start(RunnerApplication.class, runnerProperties);

        relay = GhostServices.relayFor(discovery(), ML, "patch.*,health.*");

        Map<String, String> mlProperties = GhostServices.mlMonitor(discovery(), ML, "remediation-" + RUN, "");
        mlProperties.put("ghost.alerting.slack.bot-token", SlackStandIn.BOT_TOKEN);
        mlProperties.put("ghost.alerting.slack.channel", "#oncall");
        mlProperties.put("ghost.alerting.slack.api-url", slack.apiUrl());
        mlProperties.put("ghost.remediation.slack.signing-secret", SlackInteractions.SIGNING_SECRET);
        mlProperties.put("ghost.remediation.slack.response-url-prefix", slack.responseUrlPrefix());
        mlProperties.put("ghost.remediation.slack.users[0].id", ALICE);
        mlProperties.put("ghost.remediation.slack.users[0].name", "alice");
        mlProperties.put("ghost.remediation.slack.users[0].roles", "SUBMIT,ADMIN");
        mlProperties.put("ghost.remediation.slack.users[1].id", READER);
        mlProperties.put("ghost.remediation.slack.users[1].name", "reader");
        mlProperties.put("ghost.remediation.slack.users[1].roles", "READ");
        mlProperties.put("ghost.remediation.verify-wait", "4s");
        mlProperties.put("ghost.remediation.poll-interval", "250ms");
        ml = GhostServices.startMlMonitor(mlProperties);

        Map<String, String> shopProperties = discovery();
        shopProperties.put("spring.application.name", SHOP);
        shopProperties.put("shop.config-dir", home.resolve(SHOP).toString());
        shopProperties.put("ghost.logging.ship.enabled", "false");
        // a plain service: none of the alerting and remediation that ml-monitor's classpath brings along
        shopProperties.put("spring.autoconfigure.exclude", "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                + "dev.ghost.alerting.config.AlertingAutoConfiguration,dev.ghost.remediation.RemediationAutoConfiguration");
        shop = TestApps.start(ConfigCheckedApplication.class, shopProperties);

        Map<String, String> healthProperties = discovery();
        healthProperties.put("ghost.health.interval", "1s");
        healthProperties.put("ghost.health.confirm-within", "900ms");
        healthProperties.put("ghost.health.ml-service", ML);
        healthProperties.put("ghost.health.credentialed-services", "runner-service,relay-service,health-aggregator," + ML);
        health = TestApps.start(HealthAggregatorApplication.class, healthProperties);
        Awaitility.await().atMost(PATIENCE).until(() -> "UP".equals(serviceStatus(SHOP)));
    }

    @AfterAll
    static void stopTheStack() {
        GhostServices.closeAll(Arrays.asList(health, shop, ml, relay, runner, registry, slack));
    }

    private static Map<String, String> discovery() {
        return GhostServices.discovery(registry);
    }

    private static String serviceStatus(String service) {
        HttpResponse<String> response = TestHttp.get(health.url("/health/services/" + service), TestTokens.READ);
        return response.statusCode() == 200 ? TestHttp.json(response).get("status").stringValue() : "unknown";
    }

    private static void putRunbook(String name, String yamlOrJson) {
        HttpResponse<String> response = TestHttp.send(TestHttp.request(ml.url("/runbooks/" + name), TestTokens.ADMIN)
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(yamlOrJson)).build());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    /** Messages (new posts and in-place updates) about {@code about}, in the order Slack got them. */
    private static List<SlackStandIn.Received> about(String about) {
        return slack.received().stream().filter(r -> (r.newMessage() || r.update()) && r.delivered())
                .filter(r -> r.content().contains(about)).toList();
    }

    private static SlackStandIn.Received latest(String about) {
        List<SlackStandIn.Received> all = about(about);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    private static JsonNode remediations(String filter) {
        return TestHttp.json(TestHttp.get(ml.url("/remediations?" + filter), TestTokens.READ)).path("remediations");
    }

    private static void events(GhostEvent... events) {
        HttpResponse<String> response = TestHttp.post(ml.url("/events"), TestTokens.SERVICE, JSON.writeValueAsString(List.of(events)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    @Test
    void aSignedClickRunsTheFixThroughTheRelayAndOnlyHealthResolvesTheAlert() throws Exception {
        putRunbook("fix-config", """
                {"description": "Put the service's configuration back to its known good state",
                 "matchers": ["alertname=~\\"InstanceDown|ServiceDown\\"", "service=\\"%s\\""],
                 "parameters": {"service": {"label": "service", "pattern": "[a-z0-9-]{1,63}"}},
                 "patch": {"target": "${service}", "description": "fix-config for ${service}",
                           "mutations": [{"path": "app.conf", "contents": "mode=ok\\n"}],
                           "validate": {"shell": ["grep -qx mode=ok app.conf", "test ${service} = $(printf %%s ${service})"]}}}
                """.formatted(SHOP));
        Path config = home.resolve(SHOP).resolve("app.conf");
        Files.writeString(config, "mode=broken\n");

        Awaitility.await().atMost(PATIENCE).until(() -> latest(SHOP) != null
                && latest(SHOP).buttons().stream().anyMatch(b -> b.label().equals("Run fix-config")));
        SlackStandIn.Received alert = latest(SHOP);
        assertThat(alert.content()).contains("FIRING").contains(SHOP);
        SlackStandIn.Button run = alert.button("Run fix-config");
        assertThat(alert.buttons()).extracting(SlackStandIn.Button::label).contains("Silence 1 h", "Acknowledge");

        // nothing runs on a request Slack did not sign, signed long ago, or from someone not on the allowlist
        clicks = new SlackInteractions(slack, ml.url("/slack/interactions"), SlackInteractions.SIGNING_SECRET);
        String body = clicks.body(alert, run, ALICE);
        String now = String.valueOf(Instant.now().getEpochSecond());
        HttpResponse<String> forged = clicks.send(body, now, SlackInteractions.sign("not-the-signing-secret", now, body));
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(401);
        assertThat(forged.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        String old = String.valueOf(Instant.now().minus(Duration.ofMinutes(6)).getEpochSecond());
        HttpResponse<String> late = clicks.send(body, old, SlackInteractions.sign(SlackInteractions.SIGNING_SECRET, old, body));
        assertThat(late.statusCode()).as(late.body()).isEqualTo(401);
        assertThat(clicks.send(body, null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> stranger = clicks.click(alert, run, "U0MALLORY");
        assertThat(stranger.statusCode()).isEqualTo(200);
        Awaitility.await().atMost(PATIENCE).until(() -> slack.responses().stream()
                .anyMatch(r -> r.content().contains("U0MALLORY") && r.content().contains("not allowed")));
        assertThat(slack.responses().get(slack.responses().size() - 1).form()).containsEntry("response_type", "ephemeral");
        HttpResponse<String> readOnly = clicks.click(alert, run, READER);
        assertThat(readOnly.statusCode()).isEqualTo(200);
        Awaitility.await().atMost(PATIENCE).until(() -> slack.responses().stream()
                .anyMatch(r -> r.content().contains("SUBMIT")));
        Thread.sleep(1_000);
        assertThat(remediations("runbook=fix-config").findValues("patchId")).as("nothing ran").isEmpty();
        assertThat(read(config)).isEqualTo("mode=broken\n");

        // the allowed click: answered at once, the work done behind it
        String aliceBody = clicks.body(alert, run, ALICE);
        String at = String.valueOf(Instant.now().getEpochSecond());
        String signature = SlackInteractions.sign(SlackInteractions.SIGNING_SECRET, at, aliceBody);
        long started = System.nanoTime();
        HttpResponse<String> click = clicks.send(aliceBody, at, signature);
        assertThat(click.statusCode()).as(click.body()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        // the same signed request again (a replay) is refused
        HttpResponse<String> replay = clicks.send(aliceBody, at, signature);
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(401);
        // a second click meanwhile (Bob's, say, on the same button) does not run it twice
        clicks.click(alert, run, ALICE);
        Awaitility.await().atMost(PATIENCE).until(() -> read(config).equals("mode=ok\n"));
        Instant fixedAt = Instant.now();

        JsonNode audit = remediations("runbook=fix-config");
        JsonNode submitted = null;
        for (JsonNode entry : audit) {
            if (entry.path("patchId").isString() && !entry.path("patchId").stringValue().isEmpty()) {
                submitted = entry;
            }
        }
        assertThat(submitted).as(audit.toString()).isNotNull();
        assertThat(submitted.path("by").stringValue()).isEqualTo("alice");
        assertThat(submitted.path("runbookVersion").asInt()).isEqualTo(1);
        assertThat(submitted.path("alert").stringValue()).isNotBlank();
        String patchId = submitted.path("patchId").stringValue();
        JsonNode patch = TestHttp.json(TestHttp.get(relay.url("/relay/patches/" + patchId), TestTokens.READ));
        assertThat(patch.path("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(patch.path("submittedBy").stringValue()).as("run on behalf of the Slack user").contains("alice");

        // the message follows the run in place, and the alert resolves only once health says UP
        Awaitility.await().atMost(PATIENCE).until(() -> about(SHOP).stream().anyMatch(r -> r.content().contains("RESOLVED")));
        Thread.sleep(3_000);
        List<SlackStandIn.Received> resolved = about(SHOP).stream().filter(r -> r.content().contains("[RESOLVED]")).toList();
        assertThat(resolved).as("exactly one RESOLVED").hasSize(1);
        JsonNode service = TestHttp.json(TestHttp.get(health.url("/health/services/" + SHOP), TestTokens.READ));
        assertThat(service.path("status").stringValue()).isEqualTo("UP");
        Instant upSince = Instant.parse(service.path("since").stringValue());
        assertThat(upSince).isAfter(fixedAt.minusSeconds(10));
        assertThat(resolved.get(0).at()).as("resolved after health said UP").isAfterOrEqualTo(upSince);
        assertThat(about(SHOP).stream().filter(r -> r.newMessage()).count()).as("one message, updated in place").isEqualTo(1);
        String history = String.join("\n", about(SHOP).stream().map(SlackStandIn.Received::content).toList());
        assertThat(history).contains("submitted").contains("succeeded").contains("alice");
        assertThat(latest(SHOP).content()).contains("Health confirms");
        assertThat(latest(SHOP).buttons()).as("no buttons once resolved").isEmpty();
        JsonNode confirmed = remediations("runbook=fix-config");
        assertThat(confirmed.toString()).contains("confirmed");
        assertThat(remediations("runbook=fix-config").findValues("patchId").stream().map(JsonNode::stringValue).distinct())
                .as("one run").hasSize(1);
        story(SHOP, slack.responses());

        // the same from a terminal: ./ghost runbook list / show (RunbookCli, as the launcher runs it)
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Map<String, String> env = Map.of("GHOST_ML_URL", ml.url(""), "GHOST_TOKEN", TestTokens.READ);
        assertThat(dev.ghost.remediation.cli.RunbookCli.run(new String[] {"list"}, env, new java.io.PrintStream(out), System.err)).isZero();
        assertThat(out.toString()).contains("fix-config").contains("v1").contains("InstanceDown|ServiceDown");
        out.reset();
        assertThat(dev.ghost.remediation.cli.RunbookCli.run(new String[] {"run", "fix-config", "--alert", "0000000000000000"}, env,
                new java.io.PrintStream(out), new java.io.PrintStream(out))).isEqualTo(1);
        assertThat(out.toString()).contains("lacks the role");
    }

    /** What Slack received about {@code about}, as people saw it, into target/remediation-story.txt (the README's story). */
    private static void story(String about, List<SlackStandIn.Received> replies) throws IOException {
        StringBuilder out = new StringBuilder();
        List<SlackStandIn.Received> all = new ArrayList<>(about(about));
        all.addAll(replies);
        all.sort(java.util.Comparator.comparing(SlackStandIn.Received::at));
        for (SlackStandIn.Received message : all) {
            out.append("=== ").append(message.at()).append(' ').append(message.path()).append('\n').append(message.text()).append('\n');
            JsonNode attachments = message.attachments().isBlank() ? JSON.createArrayNode() : JSON.readTree(message.attachments());
            for (JsonNode block : attachments.path(0).path("blocks")) {
                switch (block.path("type").asString("")) {
                    case "header", "section" -> out.append(block.path("text").path("text").asString("")).append('\n');
                    case "context" -> block.path("elements").forEach(e -> out.append("  ").append(e.path("text").asString("")).append('\n'));
                    case "actions" -> {
                        out.append("  [buttons]");
                        block.path("elements").forEach(e -> out.append(" [").append(e.path("text").path("text").asString("")).append(']'));
                        out.append('\n');
                    }
                    default -> out.append("  ---\n");
                }
            }
        }
        Files.writeString(Path.of("target", "remediation-story.txt"), out.toString());
    }

    @Test
    void aRunbookThatSucceedsWhileTheInstanceStaysDownRePages() {
        putRunbook("restart-marker", """
                {"description": "Leave a restart marker (does not help)",
                 "matchers": ["alertname=\\"InstanceDown\\"", "service=\\"%s\\""],
                 "patch": {"target": "%s", "mutations": [{"path": "restart-requested", "contents": "yes\\n"}]}}
                """.formatted(STUCK, SCRATCH));
        events(AlertingStack.down(STUCK, "localhost:" + STUCK + ":1"));
        Awaitility.await().atMost(PATIENCE).until(() -> latest(STUCK) != null
                && latest(STUCK).buttons().stream().anyMatch(b -> b.label().equals("Run restart-marker")));
        SlackStandIn.Received alert = latest(STUCK);
        clicks = new SlackInteractions(slack, ml.url("/slack/interactions"), SlackInteractions.SIGNING_SECRET);
        assertThat(clicks.click(alert, alert.button("Run restart-marker"), ALICE).statusCode()).isEqualTo(200);

        Awaitility.await().atMost(PATIENCE).until(() -> slack.newMessages("problem persists").stream()
                .anyMatch(r -> r.content().contains("restart-marker")));
        assertThat(slack.newMessages("problem persists")).as("a new message, which pages").isNotEmpty();
        assertThat(latest(STUCK).content()).contains("problem persists");
        assertThat(remediations("runbook=restart-marker").toString()).contains("persists");

        // health says UP at last: the alert and the re-page both resolve
        events(AlertingStack.up(STUCK, "localhost:" + STUCK + ":1"));
        Awaitility.await().atMost(PATIENCE).until(() -> about("restart-marker").stream()
                .anyMatch(r -> r.content().contains("[RESOLVED]") && r.content().contains("persists")));
    }

    @Test
    void automaticModeKeepsToItsRateLimitAndToSilences() {
        putRunbook("auto-note", """
                {"description": "Note the outage in the scratch workspace",
                 "matchers": ["alertname=\\"InstanceDown\\"", "service=~\\"%s|%s\\""],
                 "parameters": {"instance": {"label": "instance", "pattern": "[a-z0-9.:-]{1,80}"}},
                 "automatic": {"enabled": true, "maxRunsPerHour": 1},
                 "patch": {"target": "%s", "mutations": [{"path": "outages.log", "contents": "${instance}\\n"}]}}
                """.formatted(AUTO, HUSHED, SCRATCH));

        // a silence of one service says no: nothing runs there
        HttpResponse<String> silence = TestHttp.post(ml.url("/silences"), TestTokens.ADMIN, """
                {"matchers": [{"name": "service", "op": "=", "value": "%s"}], "duration": "1h", "comment": "maintenance"}
                """.formatted(HUSHED));
        assertThat(silence.statusCode()).as(silence.body()).isEqualTo(201);
        events(AlertingStack.down(HUSHED, "localhost:" + HUSHED + ":1"));

        // the first instance of the other service down: one automatic run, announced in the alert's message
        events(AlertingStack.down(AUTO, "localhost:" + AUTO + ":1"));
        Awaitility.await().atMost(PATIENCE).until(() -> latest(AUTO) != null && latest(AUTO).content().contains("Automatic run"));
        Awaitility.await().atMost(PATIENCE).until(() -> remediations("runbook=auto-note").findValues("patchId").size() >= 1);

        // a second instance of the same group within the hour: the rate limit holds it back, and says so
        events(AlertingStack.down(AUTO, "localhost:" + AUTO + ":2"));
        Awaitility.await().atMost(PATIENCE).until(() -> latest(AUTO).content().contains("1 of 1"));
        Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> {
            List<String> patches = new ArrayList<>();
            remediations("runbook=auto-note").findValues("patchId").forEach(p -> patches.add(p.stringValue()));
            return patches.stream().distinct().count() == 1;
        });
        assertThat(remediations("runbook=auto-note").toString()).contains("automatic").doesNotContain(HUSHED);
    }

    @Test
    void aBadRunbookIsOneProblemListingEveryViolation() {
        HttpResponse<String> response = TestHttp.send(TestHttp.request(ml.url("/runbooks/Bad%20Name"), TestTokens.ADMIN)
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("""
                        {"matchers": ["alertname=~\\"(\\""],
                         "parameters": {"who": {"label": "user", "pattern": "("}},
                         "patch": {"target": "../etc", "mutations": [{"path": "/etc/passwd", "contents": "x"}],
                                   "validate": {"shell": ["echo ${nobody}"]}}}
                        """)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        JsonNode violations = TestHttp.json(response).path("violations");
        List<String> pointers = new ArrayList<>();
        violations.forEach(v -> pointers.add(v.path("pointer").stringValue()));
        assertThat(pointers).contains("/name", "/matchers/0", "/parameters/who/pattern", "/patch/target",
                "/patch/mutations/0/path", "/patch/validate/shell/0");
        assertThat(TestHttp.get(ml.url("/runbooks"), TestTokens.READ).statusCode()).isEqualTo(200);
        assertThat(TestHttp.send(TestHttp.request(ml.url("/runbooks/x"), TestTokens.READ).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode()).isEqualTo(403);
    }
}
