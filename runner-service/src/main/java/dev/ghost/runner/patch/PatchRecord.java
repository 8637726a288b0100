package dev.ghost.runner.patch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the API answers and Redis stores about one patch. Mutable: the one thread executing the
 * patch fills it in as it goes and writes a copy after every step.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PatchRecord {

    private String id;
    private String hash;
    private PatchStatus status;
    private String target;
    private String description;
    private String runner;
    private String submittedBy;
    private Instant submittedAt;
    private Instant startedAt;
    private Instant finishedAt;
    private Long durationMs;
    private List<StepRecord> steps = new ArrayList<>();
    private List<FileChange> filesChanged = new ArrayList<>();
    private boolean rolledBack;
    private String error;
    private List<String> warnings = new ArrayList<>();

    /** One executed step: a mutation (path) or a command (command, exitCode). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StepRecord(String phase, int index, String command, String path, String outcome,
            Integer exitCode, long durationMs, String outputTail, Long outputBytes, String error) {
    }

    /** One file the mutations changed, with line counts (created, modified or deleted). */
    public record FileChange(String path, String change, int added, int removed) {
    }

    public PatchRecord copy() {
        PatchRecord copy = new PatchRecord();
        copy.id = id;
        copy.hash = hash;
        copy.status = status;
        copy.target = target;
        copy.description = description;
        copy.runner = runner;
        copy.submittedBy = submittedBy;
        copy.submittedAt = submittedAt;
        copy.startedAt = startedAt;
        copy.finishedAt = finishedAt;
        copy.durationMs = durationMs;
        copy.steps = new ArrayList<>(steps);
        copy.filesChanged = new ArrayList<>(filesChanged);
        copy.rolledBack = rolledBack;
        copy.error = error;
        copy.warnings = new ArrayList<>(warnings);
        return copy;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getHash() {
        return hash;
    }

    public void setHash(String hash) {
        this.hash = hash;
    }

    public PatchStatus getStatus() {
        return status;
    }

    public void setStatus(PatchStatus status) {
        this.status = status;
    }

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public String getRunner() {
        return runner;
    }

    public void setRunner(String runner) {
        this.runner = runner;
    }

    public String getSubmittedBy() {
        return submittedBy;
    }

    public void setSubmittedBy(String submittedBy) {
        this.submittedBy = submittedBy;
    }

    public Instant getSubmittedAt() {
        return submittedAt;
    }

    public void setSubmittedAt(Instant submittedAt) {
        this.submittedAt = submittedAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(Instant startedAt) {
        this.startedAt = startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public void setFinishedAt(Instant finishedAt) {
        this.finishedAt = finishedAt;
    }

    public Long getDurationMs() {
        return durationMs;
    }

    public void setDurationMs(Long durationMs) {
        this.durationMs = durationMs;
    }

    public List<StepRecord> getSteps() {
        return steps;
    }

    public void setSteps(List<StepRecord> steps) {
        this.steps = steps;
    }

    public List<FileChange> getFilesChanged() {
        return filesChanged;
    }

    public void setFilesChanged(List<FileChange> filesChanged) {
        this.filesChanged = filesChanged;
    }

    public boolean isRolledBack() {
        return rolledBack;
    }

    public void setRolledBack(boolean rolledBack) {
        this.rolledBack = rolledBack;
    }

    public String getError() {
        return error;
    }

    public void setError(String error) {
        this.error = error;
    }

    public List<String> getWarnings() {
        return warnings;
    }

    public void setWarnings(List<String> warnings) {
        this.warnings = warnings;
    }
}
