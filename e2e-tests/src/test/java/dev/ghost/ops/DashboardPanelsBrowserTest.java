package dev.ghost.ops;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.ghost.common.test.HeadlessChromium;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health dashboard's panels in a real browser, fed by the real ml-monitor: a firing and a
 * resolved alert show their state and their time, an anomaly ml-monitor detected in a log burst
 * shows its kind, what it is about and when, and the history chart draws a service's last hour.
 * (It lives here, not beside the aggregator's own browser test, because it starts ml-monitor.)
 */
@ExtendWith(RealRedisExtension.class)
class DashboardPanelsBrowserTest {

    static final String FIRING = "PanelFiring" + OpsStack.RUN;
    static final String RESOLVED = "PanelResolved" + OpsStack.RUN;
    static final String BURSTING = "panel-burst-" + OpsStack.RUN;

    static OpsStack stack;
    HeadlessChromium browser;

    @BeforeAll
    static void start() {
        HeadlessChromium.assumeInstalled();
        stack = OpsStack.get();
    }

    static void push(String alertname, Instant endsAt) {
        HttpResponse<String> pushed = TestHttp.post(stack.ml.url("/api/v2/alerts"), TestTokens.SUBMIT, """
                [{"labels":{"alertname":"%s","service":"panel","severity":"warning"},
                  "annotations":{"summary":"%s on the panel"},"endsAt":"%s"}]""".formatted(alertname, alertname, endsAt));
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
    }

    /** Four hours of a log source's quiet lines, then one minute of 120: its per-minute template count is an anomaly. */
    static void logBurst(String source) {
        Instant start = Instant.now().minus(Duration.ofMinutes(240));
        Random random = new Random(9);
        StringBuilder ndjson = new StringBuilder();
        for (int minute = 0; minute < 240; minute++) {
            int lines = minute == 230 ? 120 : 2 + random.nextInt(3);
            for (int i = 0; i < lines; i++) {
                ndjson.append("{\"message\":\"cache miss for key user:").append(random.nextInt(99_999)).append(" in region eu-")
                        .append(random.nextInt(9)).append("\",\"time\":\"").append(start.plusSeconds(60L * minute + i % 60)).append("\"}\n");
            }
        }
        HttpResponse<String> posted = TestHttp.send(TestHttp.request(stack.ml.url("/logs?source=" + source), TestTokens.SUBMIT)
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(ndjson.toString())).build());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> item(String panel, String attribute, String value) {
        return (Map<String, Object>) browser.script("""
                const li = [...document.querySelectorAll('#' + arguments[0] + ' li')].find(l => l.dataset[arguments[1]] === arguments[2]);
                return li ? { text: li.textContent, state: li.dataset.state || '', kind: li.dataset.kind || '',
                              pill: li.querySelector('.pill').textContent, when: li.querySelector('.when').textContent } : null;
                """, panel, attribute, value);
    }

    @Test
    void alertsShowTheirStateAndTimeAnomaliesWhatAndWhenAndTheHistoryChartIsDrawn() {
        push(FIRING, Instant.now().plusSeconds(600));
        push(RESOLVED, Instant.now().plusSeconds(600));
        push(RESOLVED, Instant.now().minusSeconds(1));
        logBurst(BURSTING);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> TestHttp.json(TestHttp.get(
                stack.ml.url("/anomalies?kind=anomaly&source=" + BURSTING), TestTokens.READ)).get("count").intValue() > 0);

        browser = HeadlessChromium.start();
        browser.driver.get(stack.health.url("/"));
        WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(45), Duration.ofMillis(100));
        wait.until(d -> d.findElement(By.id("token")).isDisplayed());
        browser.driver.findElement(By.id("token")).sendKeys(TestTokens.READ);
        browser.driver.findElement(By.id("sign-in-button")).click();

        wait.withMessage("both alerts listed").until(d -> item("alerts", "alertname", FIRING) != null
                && item("alerts", "alertname", RESOLVED) != null);
        Map<String, Object> firing = item("alerts", "alertname", FIRING);
        assertThat(firing.get("state")).isEqualTo("firing");
        assertThat(firing.get("pill")).isEqualTo("firing");
        assertThat((String) firing.get("text")).contains(FIRING + " on the panel");
        assertThat((String) firing.get("when")).as("since when it fires").isNotBlank();
        Map<String, Object> resolved = item("alerts", "alertname", RESOLVED);
        assertThat(resolved.get("state")).isEqualTo("resolved");
        assertThat(resolved.get("pill")).isEqualTo("resolved");
        assertThat((String) resolved.get("when")).as("when it resolved").isNotBlank();

        wait.withMessage(() -> "the anomaly listed; the feed: " + TestHttp.get(stack.health.url("/dashboard/anomalies?limit=10"),
                TestTokens.READ).body()).until(d -> browser.script(
                "return [...document.querySelectorAll('#anomalies li')].some(l => l.dataset.kind === 'anomaly' && l.textContent.includes(arguments[0]))",
                BURSTING).equals(Boolean.TRUE));
        String anomaly = (String) browser.script("return [...document.querySelectorAll('#anomalies li')]"
                + ".find(l => l.textContent.includes(arguments[0])).querySelector('.when').textContent", BURSTING);
        assertThat(anomaly).as("when it happened").isNotBlank();

        wait.withMessage("the history chart drawn").until(d -> ((Number) browser.script(
                "return document.querySelectorAll('#timeline svg rect').length")).intValue() > 0);
        String service = (String) browser.script("return document.getElementById('timeline-service').value");
        assertThat(service).isNotBlank();
        assertThat((String) browser.script("return document.querySelector('#timeline .legend').textContent")).contains(service);
        assertThat(((Number) browser.script("return document.querySelectorAll('#timeline svg path').length")).intValue())
                .as("a figure's line").isPositive();
        browser.script("document.getElementById('alerts').scrollIntoView()");
        browser.screenshot("dashboard-panels.png");
        assertThat(List.of(FIRING, RESOLVED)).allSatisfy(name -> assertThat(browser.driver.findElement(By.id("alerts")).getText())
                .doesNotContain("No alerts."));
    }

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.close();
        }
    }
}
