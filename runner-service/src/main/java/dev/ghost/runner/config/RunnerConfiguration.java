package dev.ghost.runner.config;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.event.EventPublisher;
import dev.ghost.runner.execution.AsyncEventPublisher;
import dev.ghost.runner.execution.CommandRunner;
import dev.ghost.runner.execution.CrashRecovery;
import dev.ghost.runner.execution.LeaseKeeper;
import dev.ghost.runner.execution.PatchEvents;
import dev.ghost.runner.execution.PatchExecution;
import dev.ghost.runner.execution.PatchQueue;
import dev.ghost.runner.execution.RecordWriter;
import dev.ghost.runner.execution.StateDirectory;
import dev.ghost.runner.execution.TargetLocks;
import dev.ghost.runner.inbox.InboxWatcher;
import dev.ghost.runner.patch.PatchService;
import dev.ghost.runner.patch.PatchStore;
import dev.ghost.runner.redis.RedisBatch;
import dev.ghost.runner.workspace.Workspaces;

/** Wires the runner: plain classes, assembled here so each stays testable and free of Spring. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RunnerProperties.class)
public class RunnerConfiguration {

    @Bean
    Workspaces workspaces(RunnerProperties properties) {
        return new Workspaces(properties);
    }

    @Bean
    StateDirectory stateDirectory(RunnerProperties properties) {
        return new StateDirectory(properties);
    }

    @Bean
    RedisBatch redisBatch(StringRedisTemplate redis, @Value("${spring.data.redis.timeout:2s}") Duration timeout) {
        return new RedisBatch(redis, timeout);
    }

    @Bean
    PatchStore patchStore(StringRedisTemplate redis, RedisBatch batch, JsonMapper json, RunnerProperties properties) {
        return new PatchStore(redis, batch, json, properties);
    }

    @Bean
    TargetLocks targetLocks(StringRedisTemplate redis, RedisBatch batch, RunnerProperties properties) {
        return new TargetLocks(redis, batch, properties);
    }

    @Bean
    RecordWriter recordWriter(PatchStore store) {
        return new RecordWriter(store);
    }

    @Bean
    CommandRunner commandRunner(RunnerProperties properties) {
        return new CommandRunner(properties);
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
    CrashRecovery crashRecovery(RunnerProperties properties, Workspaces workspaces, StateDirectory state, TargetLocks locks,
            PatchStore store, PatchEvents events, JsonMapper json) {
        return new CrashRecovery(properties, workspaces, state, locks, store, events, json);
    }

    @Bean
    PatchExecution patchExecution(RunnerProperties properties, Workspaces workspaces, RecordWriter records, TargetLocks locks,
            CommandRunner commands, StateDirectory state, PatchEvents events, CrashRecovery recovery, PatchQueue queue) {
        return new PatchExecution(properties, workspaces, records, locks, commands, state, events, recovery, queue);
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
    RunnerLifecycle runnerLifecycle(RunnerProperties properties, CrashRecovery recovery, LeaseKeeper keeper,
            PatchQueue queue, PatchExecution execution, ObjectProvider<PatchService> patches, JsonMapper json) {
        InboxWatcher inbox = properties.getInbox() == null ? null : new InboxWatcher(properties, patches.getObject(), json);
        return new RunnerLifecycle(properties, recovery, keeper, queue, execution, inbox);
    }
}
