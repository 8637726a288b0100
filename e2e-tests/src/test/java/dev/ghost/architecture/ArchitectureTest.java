package dev.ghost.architecture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suite's boundaries, checked over the compiled main and test classes of every module (this
 * module's own cross-service tests aside): services never import each other; common imports no
 * service; alerting imports nothing of ml-monitor, its engine no channel, and nothing outside it
 * imports its internals. And one configuration style: settings are {@code @ConfigurationProperties}
 * records, never {@code @Value}s. {@code -Dghost.arch.root=<a checkout, built>} checks another tree, and
 * {@code -Dghost.arch.alerting=<package>} names where alerting lives there (the layout before the
 * alerting module kept it in {@code dev.ghost.ml.alerting}; each rule fails on it).
 */
class ArchitectureTest {

    static final String ALERTING = System.getProperty("ghost.arch.alerting", "dev.ghost.alerting");
    static final Path ROOT = Path.of(System.getProperty("ghost.arch.root", ".."));
    static final List<String> MODULES = List.of("common", "registry-service", "runner-service", "relay-service",
            "health-aggregator", "alerting", "remediation", "ml-monitor");
    /** Each service's packages (its tests' helper packages included). */
    static final Map<String, String[]> SERVICES = Map.of(
            "registry", new String[] {"dev.ghost.registry.."},
            "runner", new String[] {"dev.ghost.runner.."},
            "relay", new String[] {"dev.ghost.relay..", "dev.ghost.relaytest.."},
            "health", new String[] {"dev.ghost.health.."},
            "ml", new String[] {"dev.ghost.ml.."});
    /** What other modules may use of alerting: what it is fed with, alerts as data, the notifier SPI, its test support. */
    static final String[] ALERTING_PUBLIC = {ALERTING, ALERTING + ".model", ALERTING + ".notify", ALERTING + ".test"};
    /** Everything of alerting that decides and delivers, and must know channels only through the notifier. */
    static final String[] ALERTING_CORE = {ALERTING + ".engine..", ALERTING + ".routing..", ALERTING + ".outbox..",
            ALERTING + ".rules..", ALERTING + ".silences..", ALERTING + ".inhibition..", ALERTING + ".sources..",
            ALERTING + ".model..", ALERTING + ".notify..", ALERTING + ".web..", ALERTING + ".api.."};
    static final String[] CHANNELS = {ALERTING + ".channel..", ALERTING + ".slack..", ALERTING + ".webhook..",
            ALERTING + ".pagerduty..", "com.slack.."};

    /** The library that acts on alerts (runbooks, Slack actions), run by ml-monitor beside alerting. */
    static final String REMEDIATION = "dev.ghost.remediation";

    static final String CONFIGURATION_PROPERTIES = "org.springframework.boot.context.properties.ConfigurationProperties";
    static final String VALUE = "org.springframework.beans.factory.annotation.Value";

    static JavaClasses classes;

    @BeforeAll
    static void importEveryModule() {
        List<Path> paths = new ArrayList<>();
        for (String module : MODULES) {
            for (String dir : List.of("target/classes", "target/test-classes")) {
                Path path = ROOT.resolve(module).resolve(dir);
                if (Files.isDirectory(path)) {
                    paths.add(path);
                }
            }
        }
        classes = new ClassFileImporter().importPaths(paths);
        assertThat(classes.stream().map(JavaClass::getPackageName).filter(p -> p.startsWith("dev.ghost.")).count())
                .as("every module's classes were found under " + ROOT.toAbsolutePath()).isGreaterThan(300);
    }

    @Test
    void servicesNeverImportEachOther() {
        // The registry's TestRegistry is discovery infrastructure for tests, as the test Redis is: a service's
        // own tests may start it. Anything that starts another service lives in e2e-tests.
        DescribedPredicate<JavaClass> testRegistry = resideInAPackage("dev.ghost.registry").and(simpleName("TestRegistry"));
        SERVICES.forEach((service, packages) -> {
            List<String> others = SERVICES.entrySet().stream().filter(e -> !e.getKey().equals(service))
                    .flatMap(e -> List.of(e.getValue()).stream()).toList();
            noClasses().that().resideInAnyPackage(packages)
                    .should().dependOnClassesThat(resideInAnyPackage(others.toArray(String[]::new)).and(DescribedPredicate.not(testRegistry)))
                    .as(service + " imports no other service")
                    .check(classes);
        });
    }

    @Test
    void commonImportsNoService() {
        List<String> services = new ArrayList<>();
        SERVICES.values().forEach(packages -> services.addAll(List.of(packages)));
        services.add(ALERTING + "..");
        services.add(REMEDIATION + "..");
        noClasses().that().resideInAnyPackage("dev.ghost.common..", "dev.ghost.sample..")
                .should().dependOnClassesThat().resideInAnyPackage(services.toArray(String[]::new))
                .as("common imports no service").check(classes);
    }

    @Test
    void alertingImportsNothingOfMlMonitor() {
        noClasses().that().resideInAPackage(ALERTING + "..")
                .should().dependOnClassesThat(resideInAPackage("dev.ghost.ml..").and(DescribedPredicate.not(resideInAPackage(ALERTING + ".."))))
                .as("alerting depends on common, never on the service that runs it").check(classes);
    }

    @Test
    void remediationIsALibraryOfItsOwn() {
        List<String> services = new ArrayList<>();
        SERVICES.values().forEach(packages -> services.addAll(List.of(packages)));
        noClasses().that().resideInAPackage(REMEDIATION + "..")
                .should().dependOnClassesThat().resideInAnyPackage(services.toArray(String[]::new))
                .as("remediation depends on common and alerting's public packages, never on a service (it reaches the relay over HTTP)")
                .check(classes);
        noClasses().that().resideInAPackage(ALERTING + "..")
                .should().dependOnClassesThat().resideInAPackage(REMEDIATION + "..")
                .as("alerting knows nothing of runbooks: remediation plugs in through its public SPI (ActionAdvisor, AlertBook)")
                .check(classes);
    }

    @Test
    void theAlertingEngineNeverImportsAChannel() {
        ArchRule rule = noClasses().that().resideInAnyPackage(ALERTING_CORE)
                .should().dependOnClassesThat().resideInAnyPackage(CHANNELS)
                .as("engine, routing, outbox and API know channels only through the Notifier");
        rule.check(classes);
    }

    @Test
    void settingsAreRecords() {
        classes().that().areAnnotatedWith(CONFIGURATION_PROPERTIES)
                .should().beAssignableTo(Record.class)
                .as("every @ConfigurationProperties class is a record: bound once at start, never changed after")
                .check(classes);
    }

    @Test
    void noSettingIsInjectedWithValue() {
        noClasses().that().resideInAPackage("dev.ghost..")
                .should().dependOnClassesThat().haveFullyQualifiedName(VALUE)
                .as("settings come from @ConfigurationProperties records, never from @Value")
                .check(classes);
    }

    @Test
    void nothingOutsideAlertingImportsItsInternals() {
        noClasses().that(DescribedPredicate.not(resideInAPackage(ALERTING + "..")))
                .should().dependOnClassesThat(resideInAPackage(ALERTING + "..").and(DescribedPredicate.not(resideInAnyPackage(ALERTING_PUBLIC))))
                .as("outside alerting, only its public packages " + List.of(ALERTING_PUBLIC))
                .check(classes);
    }
}
