package dev.ghost.alerting.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.ghost.alerting.test.AlertingStack;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;

import static dev.ghost.alerting.test.AlertingStack.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code amtool} (Debian's prometheus-alertmanager package) against GHOST, authenticated
 * the way its documentation says ({@code --http.config.file} with a bearer token): silences added,
 * queried and expired, alerts queried. Skipped, saying why, where amtool is not installed.
 */
@ExtendWith(RealRedisExtension.class)
class AmtoolTest {

    static final Path AMTOOL = Path.of("/usr/bin/amtool");

    static AlertingStack stack;
    static Path adminConfig;
    static Path readerConfig;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(AMTOOL),
                "amtool test skipped: /usr/bin/amtool is needed (apt-get install -y prometheus-alertmanager)");
        stack = AlertingStack.shared();
        adminConfig = httpConfig(TestTokens.ADMIN);
        readerConfig = httpConfig(TestTokens.READ);
    }

    /** amtool's --http.config.file: Prometheus' HTTP client configuration. */
    static Path httpConfig(String token) throws IOException {
        Path file = Files.createTempFile("amtool-", ".yml");
        file.toFile().deleteOnExit();
        Files.writeString(file, "authorization:\n  type: Bearer\n  credentials: " + token + "\n");
        return file;
    }

    record Run(int exit, String out, String err) {
    }

    static Run amtool(Path config, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(AMTOOL.toString(), "--alertmanager.url=" + stack.url("/")));
        if (config != null) {
            command.add("--http.config.file=" + config);
        }
        command.addAll(List.of(args));
        Path out = Files.createTempFile("amtool-out-", ".txt");
        Path err = Files.createTempFile("amtool-err-", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("amtool " + String.join(" ", args) + " ended").isTrue();
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip(),
                    Files.readString(err, StandardCharsets.UTF_8).strip());
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void amtoolAddsQueriesAndExpiresSilences() throws Exception {
        String service = unique("amtool");
        Run added = amtool(adminConfig, "silence", "add", "service=" + service, "instance=~.*:5051", "--comment=disk swap",
                "--duration=2h");
        assertThat(added.exit()).as(added.err()).isZero();
        String id = added.out();
        JsonNode stored = TestHttp.json(TestHttp.get(stack.url("/silences/" + id), TestTokens.READ));
        assertThat(stored.get("state").stringValue()).isEqualTo("active");
        assertThat(stored.get("comment").stringValue()).isEqualTo("disk swap");
        assertThat(stored.get("matchers").findValuesAsString("op")).containsExactlyInAnyOrder("=", "=~");
        assertThat(stored.get("createdBy").stringValue()).endsWith("admin");

        Run query = amtool(readerConfig, "silence", "query", "-o", "json", "service=" + service);
        assertThat(query.exit()).as(query.err()).isZero();
        JsonNode silences = TestHttp.json(query.out());
        assertThat(silences.findValuesAsString("id")).containsExactly(id);
        assertThat(silences.get(0).get("comment").stringValue()).isEqualTo("disk swap");
        assertThat(amtool(readerConfig, "silence", "query", "-q", "service=" + service).out()).isEqualTo(id);

        Run refused = amtool(readerConfig, "silence", "expire", id);
        assertThat(refused.exit()).as("a reader cannot expire a silence").isNotZero();
        Run expired = amtool(adminConfig, "silence", "expire", id);
        assertThat(expired.exit()).as(expired.err()).isZero();
        assertThat(TestHttp.json(TestHttp.get(stack.url("/silences/" + id), TestTokens.READ)).get("state").stringValue())
                .isEqualTo("expired");
        assertThat(amtool(readerConfig, "silence", "query", "-q", "service=" + service).out()).as("expired ones are not listed").isEmpty();
    }

    @Test
    void amtoolQueriesAlerts() throws Exception {
        String name = "AmtoolSees" + unique("").replace("-", "");
        assertThat(TestHttp.post(stack.url("/api/v2/alerts"), TestTokens.SUBMIT,
                AlertmanagerApiTest.prometheusPush(name, "node-7:9100", Instant.now(), Instant.now().plusSeconds(240))).statusCode())
                .isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                amtool(readerConfig, "alert", "query", "-o", "json", "alertname=" + name).out().contains("node-7:9100"));
        JsonNode alerts = TestHttp.json(amtool(readerConfig, "alert", "query", "-o", "json", "alertname=" + name).out());
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("labels").get("instance").stringValue()).isEqualTo("node-7:9100");
        assertThat(alerts.get(0).get("status").get("state").stringValue()).isEqualTo("active");
        assertThat(amtool(readerConfig, "alert", "query", "alertname=" + name).out()).contains(name).contains("Disk almost full");
    }

    @Test
    void amtoolWithoutACredentialGetsNothing() throws Exception {
        Run anonymous = amtool(null, "silence", "query");
        assertThat(anonymous.exit()).isNotZero();
        assertThat(anonymous.err()).containsIgnoringCase("401");
    }
}
