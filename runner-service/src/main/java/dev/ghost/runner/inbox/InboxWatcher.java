package dev.ghost.runner.inbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.patch.InvalidPatchException;
import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.problem.Problems;
import dev.ghost.runner.config.RunnerProperties;
import dev.ghost.runner.patch.PatchRecord;
import dev.ghost.runner.patch.PatchService;
import dev.ghost.runner.patch.PatchStatus;
import dev.ghost.runner.summary.SummaryRenderer;

/**
 * The drop-a-file way of submitting: every {@code *.json} in {@code ghost.runner.inbox} is
 * submitted as if posted, once it has stayed unchanged (size and mtime) for
 * {@code inbox-settle}, so a file still being written is left alone (writers that rename a
 * finished temp file into place are never seen half-written at all). When its patch ends, the
 * file moves to {@code .completed/} or {@code .failed/} with {@code <id>.summary.md} beside it; a
 * file that is not a valid patch goes to {@code .failed/} with {@code <file>.problem.json}. A
 * file is only left in place to be retried (queue full, Redis away); nothing is dropped.
 */
public class InboxWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InboxWatcher.class);
    static final String SUBMITTER = "inbox";

    private record Observation(long size, long modified, long since) {
    }

    private final Path inbox;
    private final Path completed;
    private final Path failed;
    private final RunnerProperties properties;
    private final PatchService patches;
    private final JsonMapper json;
    private final Map<Path, Observation> seen = new HashMap<>();
    private final Map<Path, String> inFlight = new LinkedHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ghost-inbox");
        thread.setDaemon(true);
        return thread;
    });

    public InboxWatcher(RunnerProperties properties, PatchService patches, JsonMapper json) {
        this.properties = properties;
        this.inbox = properties.inbox().toAbsolutePath().normalize();
        this.completed = inbox.resolve(".completed");
        this.failed = inbox.resolve(".failed");
        this.patches = patches;
        this.json = json;
        try {
            Files.createDirectories(completed);
            Files.createDirectories(failed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the inbox " + inbox, e);
        }
    }

    public void start() {
        long every = properties.inboxPollInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                poll();
            } catch (RuntimeException e) {
                log.error("inbox poll failed", e);
            }
        }, 0, every, TimeUnit.MILLISECONDS);
    }

    synchronized void poll() {
        long now = System.currentTimeMillis();
        for (Path file : candidates()) {
            if (inFlight.containsKey(file)) {
                continue;
            }
            Optional<Observation> current = observe(file, now);
            if (current.isEmpty()) {
                continue;
            }
            Observation before = seen.get(file);
            if (before == null || before.size() != current.get().size() || before.modified() != current.get().modified()) {
                seen.put(file, current.get());
            } else if (now - before.since() >= properties.inboxSettle().toMillis()) {
                submit(file);
            }
        }
        seen.keySet().removeIf(file -> !Files.exists(file));
        inFlight.entrySet().removeIf(entry -> finishIfDone(entry.getKey(), entry.getValue()));
    }

    private List<Path> candidates() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(inbox, "*.json")) {
            List<Path> found = new java.util.ArrayList<>();
            for (Path file : files) {
                if (!file.getFileName().toString().startsWith(".") && Files.isRegularFile(file)) {
                    found.add(file);
                }
            }
            found.sort(null);
            return found;
        } catch (IOException e) {
            log.warn("cannot list inbox {}: {}", inbox, e.getMessage());
            return List.of();
        }
    }

    private static Optional<Observation> observe(Path file, long now) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(new Observation(attributes.size(), attributes.lastModifiedTime().toMillis(), now));
        } catch (IOException e) {
            return Optional.empty(); // moved away meanwhile
        }
    }

    private void submit(Path file) {
        byte[] body;
        try {
            body = Files.readAllBytes(file);
        } catch (IOException e) {
            return;
        }
        try {
            PatchService.Submission submission = patches.submit(body, SUBMITTER);
            seen.remove(file);
            log.info("inbox: {} submitted as patch {}{}", file.getFileName(), submission.record().getId(),
                    submission.duplicate() ? " (already known)" : "");
            inFlight.put(file, submission.record().getId());
        } catch (InvalidPatchException e) {
            seen.remove(file);
            Map<String, Object> problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    e.violations().size() + " violation(s); see 'violations'.");
            problem.put("violations", e.violations().stream().map(v -> Map.of("pointer", v.pointer(), "message", v.message())).toList());
            reject(file, problem);
        } catch (GhostProblemException e) {
            if (e.status() == HttpStatus.TOO_MANY_REQUESTS) {
                return; // stays in the inbox, tried again on a later poll
            }
            seen.remove(file);
            Map<String, Object> problem = problem(e.status(), e.slug(), e.title(), e.getMessage());
            problem.putAll(e.properties());
            reject(file, problem);
        } catch (DataAccessException e) {
            log.warn("inbox: {} waits, Redis is unreachable", file.getFileName());
        }
    }

    private boolean finishIfDone(Path file, String id) {
        Optional<PatchRecord> record;
        try {
            record = patches.find(id);
        } catch (DataAccessException e) {
            return false;
        }
        if (record.isPresent() && !record.get().getStatus().terminal()) {
            return false;
        }
        Path to = record.isPresent() && record.get().getStatus() == PatchStatus.SUCCEEDED ? completed : failed;
        try {
            move(file, to);
            String summary = record.isPresent() ? SummaryRenderer.render(record.get())
                    : "# Patch `" + id + "`: record expired\n\nIts record is gone from Redis; the outcome is unknown.\n";
            Files.writeString(to.resolve(id + ".summary.md"), summary);
        } catch (IOException e) {
            log.error("inbox: cannot move {} to {}: {}", file, to, e.getMessage());
        }
        return true;
    }

    private void reject(Path file, Map<String, Object> problem) {
        try {
            Path moved = move(file, failed);
            Files.write(moved.resolveSibling(moved.getFileName() + ".problem.json"), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(problem));
            log.warn("inbox: {} rejected: {}", file.getFileName(), problem.get("detail"));
        } catch (IOException e) {
            log.error("inbox: cannot move rejected {} to {}: {}", file, failed, e.getMessage());
        }
    }

    private static Map<String, Object> problem(HttpStatus status, String slug, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", Problems.TYPE_PREFIX + slug);
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        return problem;
    }

    /** Moves into {@code directory}, never over an earlier file of the same name. */
    private static Path move(Path file, Path directory) throws IOException {
        Path target = directory.resolve(file.getFileName());
        if (Files.exists(target)) {
            target = directory.resolve(file.getFileName() + "." + Instant.now().toEpochMilli());
        }
        return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
