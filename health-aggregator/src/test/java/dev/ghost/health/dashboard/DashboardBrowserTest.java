package dev.ghost.health.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The stack polls every second. */
    private static final Duration POLL = Duration.ofSeconds(1);

    private WebDriver driver;
    private Path profile;

    @Test
    void signInSeeEverythingUpStopAnInstanceSeeItDown() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Browser test skipped: /usr/bin/chromium and /usr/bin/chromedriver are needed "
                        + "(apt-get install -y chromium chromium-driver)");
        HealthStack stack = HealthStack.get();
        String shop = "shop-" + HealthStack.RUN;
        RunningApp instance = stack.service(shop);
        driver = browser();

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
        screenshot("dashboard-up.png");

        instance.close();
        long stoppedAt = System.nanoTime();
        new WebDriverWait(driver, POLL.multipliedBy(3).plus(POLL), Duration.ofMillis(50))
                .withMessage("instance not shown DOWN within 3 polls (+1 s page refresh)")
                .until(d -> instanceStatus(d, instanceId(shop, instance)).equals("DOWN"));
        log.info("Stopped instance shown DOWN on the page after {} ms", (System.nanoTime() - stoppedAt) / 1_000_000);
        wait.until(d -> "DOWN".equals(serviceStatus(d, shop)));
        assertThat(driver.findElement(By.id("system-status")).getText()).isEqualTo("System DEGRADED");
        assertThat(serviceStatus(driver, HealthStack.ORDERS)).isEqualTo("UP");
        screenshot("dashboard-down.png");
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

    private WebDriver browser() throws IOException {
        profile = Files.createTempDirectory("ghost-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1440,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private void screenshot(String name) throws IOException {
        File shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    @AfterEach
    void quit() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
