package dev.ghost.runner.execution;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.ghost.common.event.GhostEvent;
import dev.ghost.runner.config.RunnerProperties;
import dev.ghost.runner.patch.PatchRecord;
import dev.ghost.runner.patch.PatchStatus;

/**
 * What the runner tells the world: an audit event for every lifecycle change and finished step
 * (through the configured {@code EventPublisher}, queued by {@link AsyncEventPublisher}), and the Micrometer meters the health
 * aggregator reads ({@code ghost_runner_*} on /actuator/prometheus).
 */
public class PatchEvents {

    private final AsyncEventPublisher publisher;
    private final MeterRegistry meters;
    private final String instance;
    private final Counter dedupHits;
    private final Counter rejected;
    private final Counter queueFull;

    public PatchEvents(AsyncEventPublisher publisher, MeterRegistry meters, RunnerProperties properties, PatchQueue queue) {
        this.publisher = publisher;
        this.meters = meters;
        this.instance = properties.instanceId();
        this.dedupHits = Counter.builder("ghost.runner.dedup.hits")
                .description("Submissions answered with an existing record (same id and hash)").register(meters);
        this.rejected = Counter.builder("ghost.runner.submissions.rejected")
                .description("Submissions refused as invalid or conflicting").register(meters);
        this.queueFull = Counter.builder("ghost.runner.submissions.queue.full")
                .description("Submissions refused with 429 because the queue was full").register(meters);
        Gauge.builder("ghost.runner.queue.depth", queue, PatchQueue::depth)
                .description("Patches accepted and waiting to start").register(meters);
        Gauge.builder("ghost.runner.running", queue, PatchQueue::running)
                .description("Patches executing now").register(meters);
        for (PatchStatus status : PatchStatus.values()) {
            if (status.terminal()) {
                outcomes(status); // register every outcome at 0, so rates exist before the first failure
            }
        }
    }

    public String instance() {
        return instance;
    }

    public void dedupHit() {
        dedupHits.increment();
    }

    public void rejected() {
        rejected.increment();
    }

    public void queueFull() {
        queueFull.increment();
    }

    /** A lifecycle change: QUEUED, RUNNING or a terminal state. */
    public void lifecycle(PatchRecord record) {
        Map<String, Object> data = base(record);
        if (record.getStatus().terminal()) {
            outcomes(record.getStatus()).increment();
            data.put("rolledBack", record.isRolledBack());
            put(data, "error", record.getError());
            put(data, "durationMs", record.getDurationMs());
        }
        String type = record.getStatus() == PatchStatus.RUNNING ? "patch.started" : record.getStatus().eventType();
        publisher.publish(GhostEvent.of(type, instance, data));
    }

    public void step(ActivePatch patch, PatchRecord.StepRecord step) {
        Timer.builder("ghost.runner.step.duration")
                .description("Duration of patch steps (commands and mutations)")
                .tag("phase", step.phase())
                .tag("outcome", step.outcome())
                .publishPercentileHistogram()
                .register(meters)
                .record(step.durationMs(), TimeUnit.MILLISECONDS);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("patchId", patch.id());
        data.put("target", patch.target());
        data.put("status", PatchStatus.RUNNING.name());
        data.put("runner", instance);
        data.put("phase", step.phase());
        data.put("index", step.index());
        put(data, "step", step.command() != null ? step.command() : step.path());
        data.put("outcome", step.outcome());
        put(data, "exitCode", step.exitCode());
        data.put("durationMs", step.durationMs());
        put(data, "outputTail", step.outputTail());
        put(data, "error", step.error());
        publisher.publish(GhostEvent.of("patch.step", instance, data));
    }

    private Counter outcomes(PatchStatus status) {
        return Counter.builder("ghost.runner.patches")
                .description("Patches finished, by outcome")
                .tag("outcome", status.name().toLowerCase())
                .register(meters);
    }

    private Map<String, Object> base(PatchRecord record) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("patchId", record.getId());
        data.put("target", record.getTarget());
        data.put("status", record.getStatus().name());
        put(data, "runner", record.getRunner());
        return data;
    }

    private static void put(Map<String, Object> data, String key, Object value) {
        if (value != null) {
            data.put(key, value);
        }
    }
}
