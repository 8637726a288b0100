package dev.ghost.runner.config;

import java.time.Duration;
import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.event.EventPublisher;
import dev.ghost.runner.execution.AsyncEventPublisher;
import dev.ghost.runner.execution.LeaseKeeper;
import dev.ghost.runner.execution.PatchEvents;
import dev.ghost.runner.execution.PatchExecution;
import dev.ghost.runner.execution.PatchQueue;
import dev.ghost.runner.execution.RecordWriter;
import dev.ghost.runner.inbox.InboxWatcher;
import dev.ghost.runner.locking.TargetLocks;
import dev.ghost.runner.patch.PatchService;
import dev.ghost.runner.patch.PatchStore;
import dev.ghost.runner.process.CommandRunner;
import dev.ghost.runner.redis.RedisBatch;
import dev.ghost.runner.rollback.CrashRecovery;
import dev.ghost.runner.rollback.StateDirectory;
import dev.ghost.runner.rollback.Transactions;
import dev.ghost.runner.sandbox.Bubblewrap;
import dev.ghost.runner.sandbox.SandboxHealthIndicator;
import dev.ghost.runner.sandbox.SandboxMode;
import dev.ghost.runner.sandbox.SandboxUnavailableException;
import dev.ghost.runner.workspace.HostPaths;
import dev.ghost.runner.workspace.Workspaces;

/** Wires the runner: plain classes, assembled here so each stays testable and free of Spring. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RunnerProperties.class)
public class RunnerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RunnerConfiguration.class);

    @Bean
    @ConfigurationPropertiesBinding
    static WorkspacePathConverter workspacePathConverter() {
        return new WorkspacePathConverter();
    }

    @Bean
    Workspaces workspaces(RunnerProperties properties) {
        return new Workspaces(properties);
    }

    @Bean
    StateDirectory stateDirectory(RunnerProperties properties) {
        return new StateDirectory(properties);
    }

    /** A batch waits as long as the template's own commands ({@code spring.data.redis.timeout}; 2 s in ghost-defaults.yml). */
    @Bean
    RedisBatch redisBatch(StringRedisTemplate redis, DataRedisProperties redisProperties) {
        return new RedisBatch(redis, Objects.requireNonNullElse(redisProperties.getTimeout(), Duration.ofSeconds(2)));
    }

    @Bean
    PatchStore patchStore(StringRedisTemplate redis, RedisBatch batch, JsonMapper json, RunnerProperties properties) {
        return new PatchStore(redis, batch, json, properties);
    }

    @Bean
    TargetLocks targetLocks(StringRedisTemplate redis, RedisBatch batch, RunnerProperties properties, JsonMapper json) {
        return new TargetLocks(redis, batch, properties, json);
    }

    @Bean
    RecordWriter recordWriter(PatchStore store) {
        return new RecordWriter(store);
    }

    @Bean
    CommandRunner commandRunner(RunnerProperties properties) {
        return new CommandRunner(properties);
    }

    /**
     * The sandbox, checked by running a command in it before the runner takes any patch: a runner
     * that was asked for a sandbox and cannot have one refuses to start rather than run patches bare.
     */
    @Bean
    Transactions transactions(RunnerProperties properties, StateDirectory state, TargetLocks locks, JsonMapper json) {
        if (properties.sandbox() == SandboxMode.NONE) {
            log.warn("ghost.runner.sandbox=none: patch commands run UNSANDBOXED, as this runner's own user, with everything"
                    + " it can reach; each patch works on its workspace behind a full copy for rollback");
            return new Transactions(null, locks, json);
        }
        Bubblewrap bubblewrap = new Bubblewrap(properties.bwrap(), properties.sandboxReadOnlyPaths());
        String problem = bubblewrap.check(state.root().resolve("sandbox/check"));
        if (problem != null) {
            throw new SandboxUnavailableException(problem);
        }
        return new Transactions(bubblewrap, locks, json);
    }

    @Bean
    SandboxHealthIndicator sandboxHealthIndicator(RunnerProperties properties) {
        return new SandboxHealthIndicator(properties);
    }

    @Bean
    PatchQueue patchQueue(RunnerProperties properties) {
        return new PatchQueue(properties);
    }

    /** The runner's own queue in front of whichever publisher is configured. */
    @Bean
    AsyncEventPublisher runnerEvents(EventPublisher publisher, MeterRegistry meters) {
        return new AsyncEventPublisher(publisher, 10_000, meters);
    }

    @Bean
    PatchEvents patchEvents(AsyncEventPublisher publisher, MeterRegistry meters, RunnerProperties properties, PatchQueue queue) {
        return new PatchEvents(publisher, meters, properties, queue);
    }

    @Bean
    CrashRecovery crashRecovery(RunnerProperties properties, StateDirectory state, TargetLocks locks, PatchStore store,
            PatchEvents events, Transactions transactions, JsonMapper json) {
        return new CrashRecovery(properties, state, locks, store, events, transactions, json);
    }

    @Bean
    PatchExecution patchExecution(RunnerProperties properties, Workspaces workspaces, RecordWriter records, TargetLocks locks,
            CommandRunner commands, StateDirectory state, PatchEvents events, CrashRecovery recovery,
            Transactions transactions, PatchQueue queue) {
        return new PatchExecution(properties, workspaces, records, locks, commands, state, events, recovery, transactions,
                new HostPaths(properties), queue);
    }

    @Bean
    LeaseKeeper leaseKeeper(RunnerProperties properties, PatchQueue queue, PatchStore store, TargetLocks locks,
            RecordWriter records, PatchEvents events, StateDirectory state) {
        return new LeaseKeeper(properties, queue, store, locks, records, events, state);
    }

    @Bean
    PatchService patchService(Workspaces workspaces, PatchStore store, PatchQueue queue, PatchExecution execution,
            PatchEvents events, RunnerProperties properties) {
        return new PatchService(workspaces, store, queue, execution, events, properties);
    }

    @Bean
    RunnerLifecycle runnerLifecycle(RunnerProperties properties, StateDirectory state, CrashRecovery recovery, LeaseKeeper keeper,
            PatchQueue queue, PatchExecution execution, ObjectProvider<PatchService> patches, JsonMapper json) {
        InboxWatcher inbox = properties.inbox() == null ? null : new InboxWatcher(properties, patches.getObject(), json);
        return new RunnerLifecycle(properties, state, recovery, keeper, queue, execution, inbox);
    }
}
