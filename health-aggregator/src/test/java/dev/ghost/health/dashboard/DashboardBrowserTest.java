package dev.ghost.health.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ghost.common.test.HeadlessChromium;
import dev.ghost.common.test.RealRedisExtension;
import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestTokens;
import dev.ghost.health.stack.HealthStack;

/**
 * The dashboard in a real browser (Debian's chromium and chromedriver, headless): sign in with a
 * token, see every running service UP, stop an instance, see it turn DOWN on the page within
 * three polls. Screenshots go to target/. Skipped, saying why, where Chromium is not installed.
 */
@ExtendWith(RealRedisExtension.class)
class DashboardBrowserTest {

    private static final Logger log = LoggerFactory.getLogger(DashboardBrowserTest.class);
    /** The stack polls every second. */
    private static final Duration POLL = Duration.ofSeconds(1);

    private HeadlessChromium browser;
    private WebDriver driver;

    @Test
    void signInSeeEverythingUpStopAnInstanceSeeItDown() {
        HeadlessChromium.assumeInstalled();
        HealthStack stack = HealthStack.get();
        String shop = "shop-" + HealthStack.RUN;
        RunningApp instance = stack.service(shop);
        browser = HeadlessChromium.start();
        driver = browser.driver;

        driver.get(stack.aggregator.url("/"));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(45), Duration.ofMillis(100));
        wait.until(d -> d.findElement(By.id("token")).isDisplayed());
        driver.findElement(By.id("token")).sendKeys(TestTokens.READ);
        driver.findElement(By.id("sign-in-button")).click();

        List<String> running = List.of(shop, HealthStack.ORDERS, HealthStack.LEGACY, "health-aggregator");
        wait.until(d -> running.stream().allMatch(name -> "UP".equals(serviceStatus(d, name)))
                && instanceStatus(d, instanceId(shop, instance)).equals("UP"));
        for (String name : running) {
            assertThat(serviceStatus(driver, name)).as(name).isEqualTo("UP");
        }
        assertThat((String) ((JavascriptExecutor) driver)
                .executeScript("return sessionStorage.getItem('ghost.session')")).isNotBlank();
        browser.screenshot("dashboard-up.png");

        instance.close();
        long stoppedAt = System.nanoTime();
        new WebDriverWait(driver, POLL.multipliedBy(3).plus(POLL), Duration.ofMillis(50))
                .withMessage("instance not shown DOWN within 3 polls (+1 s page refresh)")
                .until(d -> instanceStatus(d, instanceId(shop, instance)).equals("DOWN"));
        log.info("Stopped instance shown DOWN on the page after {} ms", (System.nanoTime() - stoppedAt) / 1_000_000);
        wait.until(d -> "DOWN".equals(serviceStatus(d, shop)));
        assertThat(driver.findElement(By.id("system-status")).getText()).isEqualTo("System DEGRADED");
        assertThat(serviceStatus(driver, HealthStack.ORDERS)).isEqualTo("UP");
        browser.screenshot("dashboard-down.png");
    }

    private static String instanceId(String service, RunningApp app) {
        return "localhost:" + service + ":" + app.port();
    }

    /** Read in one script: the table is re-rendered live, so element handles would go stale. */
    private static String serviceStatus(WebDriver driver, String service) {
        return status(driver, "tr[data-service='" + service + "']");
    }

    private static String instanceStatus(WebDriver driver, String instance) {
        return status(driver, "tr[data-instance='" + instance + "']");
    }

    private static String status(WebDriver driver, String selector) {
        Object status = ((JavascriptExecutor) driver).executeScript(
                "const row = document.querySelector(arguments[0]); return row ? row.dataset.status : '';", selector);
        return status == null ? "" : status.toString();
    }

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.close();
        }
    }
}
