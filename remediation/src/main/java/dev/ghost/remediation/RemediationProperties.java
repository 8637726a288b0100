package dev.ghost.remediation;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.ghost.common.security.Role;

/**
 * {@code ghost.remediation.*}: where runbooks come from, how runs are followed and verified, and who
 * may act from Slack. Immutable once bound; the signing secret is never printed.
 *
 * @param enabled        runbooks, Slack actions and the remediation loop at all
 * @param namespace      keeps this deployment's remediation state in Redis apart from others (ml-monitor: the alerting namespace)
 * @param runbooksDir    a directory of runbook files ({@code *.yml}, {@code *.yaml}, {@code *.json}) kept in the catalog
 *                       as they change; empty: none (runbooks then come only from {@code PUT /runbooks/{name}})
 * @param scanInterval   how often the directory is looked at
 * @param relayService   the relay's name in Eureka: runbook patches go through it
 * @param publicUrl      how people reach this service (links in messages, the CLI)
 * @param patchSummaryUrl a patch's Markdown summary through the relay ({@code {patchId}} replaced): linked from re-pages
 * @param verifyWait     a runbook that succeeded and whose alert still fires this long after re-pages ("problem persists")
 * @param pollInterval   how often runs in progress and waiting verifications are looked at
 * @param retention      runs are kept this long
 * @param auditMaxEntries entries kept in the audit trail
 * @param versionsKept   versions kept per runbook
 * @param slack          Slack interactivity
 */
@ConfigurationProperties("ghost.remediation")
@Validated
public record RemediationProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("") String namespace,
        @DefaultValue("") String runbooksDir,
        @DefaultValue("2s") @NotNull Duration scanInterval,
        @DefaultValue("relay-service") @NotBlank String relayService,
        @DefaultValue("http://localhost:5080") @NotBlank String publicUrl,
        @DefaultValue("http://localhost:5060/relay/patches/{patchId}/summary") @NotBlank String patchSummaryUrl,
        @DefaultValue("5m") @NotNull Duration verifyWait,
        @DefaultValue("1s") @NotNull Duration pollInterval,
        @DefaultValue("30d") @NotNull Duration retention,
        @DefaultValue("10000") @Min(100) int auditMaxEntries,
        @DefaultValue("20") @Min(1) int versionsKept,
        @DefaultValue @Valid Slack slack) {

    /**
     * Slack's interactivity ({@code POST /slack/interactions}).
     *
     * @param signingSecret     the app's signing secret ({@code SLACK_SIGNING_SECRET}); empty: no buttons, clicks refused.
     *                          A secret.
     * @param tolerance         a request whose timestamp is further than this from the clock is refused (Slack: 5 minutes)
     * @param responseUrlPrefix replies go only to response URLs starting with this (Slack's own hooks)
     * @param users             who may act, by Slack user id, and as which GHOST principal; everyone else is refused
     * @param silenceDuration   how long the "Silence" button silences a group
     */
    public record Slack(@DefaultValue("") String signingSecret, @DefaultValue("5m") @NotNull Duration tolerance,
            @DefaultValue("https://hooks.slack.com/") @NotBlank String responseUrlPrefix, List<@Valid SlackUser> users,
            @DefaultValue("1h") @NotNull Duration silenceDuration) {

        public Slack {
            users = users == null ? List.of() : List.copyOf(users);
        }

        public boolean interactive() {
            return !signingSecret.isBlank();
        }

        @Override
        public String toString() {
            return "Slack[interactive=" + interactive() + ", users=" + users + "]";
        }
    }

    /**
     * One allowed Slack user.
     *
     * @param id    Slack's user id ({@code U…} or {@code W…})
     * @param name  the GHOST principal runs are made as (default {@code slack:<id>}); what the runner records as submitter
     * @param roles what the user may do: READ acknowledges, SUBMIT runs runbooks, ADMIN silences
     */
    public record SlackUser(@NotBlank String id, String name, @DefaultValue("READ") Set<Role> roles) {

        public SlackUser {
            roles = roles == null ? Set.of(Role.READ) : Set.copyOf(roles);
        }

        public String principalName() {
            return name == null || name.isBlank() ? "slack:" + id : name;
        }
    }
}
