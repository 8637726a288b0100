package dev.ghost.runner.patch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.security.Callers;
import dev.ghost.runner.rollback.StateDirectory;
import dev.ghost.runner.summary.SummaryRenderer;

/** The runner's REST contract (ARCHITECTURE.md, "REST contracts"). */
@RestController
@RequestMapping("/patches")
public class PatchController {

    static final MediaType MARKDOWN = MediaType.parseMediaType("text/markdown;charset=UTF-8");
    private static final MediaType TEXT = MediaType.parseMediaType("text/plain;charset=UTF-8");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._()\\-]{1,128}");
    private static final int MAX_LIMIT = 500;
    private static final java.time.Duration FOLLOW_INTERVAL = java.time.Duration.ofMillis(100);

    private final PatchService patches;
    private final StateDirectory state;

    public PatchController(PatchService patches, StateDirectory state) {
        this.patches = patches;
        this.state = state;
    }

    @PostMapping
    @PreAuthorize("hasRole('SUBMIT')")
    public ResponseEntity<PatchRecord> submit(@RequestBody(required = false) byte[] body) {
        PatchService.Submission submission = patches.submit(body == null ? new byte[0] : body, Callers.current().getName());
        PatchRecord record = submission.record();
        if (submission.duplicate()) {
            return ResponseEntity.ok().header("Ghost-Dedup", "hit").body(record);
        }
        return ResponseEntity.accepted().location(URI.create("/patches/" + record.getId())).body(record);
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasRole('READ')")
    public PatchRecord get(@PathVariable String id) {
        return patches.get(checked(id));
    }

    @GetMapping
    @PreAuthorize("hasRole('READ')")
    public List<PatchRecord> list(@RequestParam(required = false) String status,
            @RequestParam(defaultValue = "20") int limit) {
        PatchStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = PatchStatus.valueOf(status.trim().toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new GhostProblemException(HttpStatus.BAD_REQUEST, "invalid-status", "Invalid status",
                        "'" + status + "' is not a patch status; use one of " + Arrays.toString(PatchStatus.values()) + ".")
                        .with("statuses", Arrays.stream(PatchStatus.values()).map(Enum::name).toList());
            }
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new GhostProblemException(HttpStatus.BAD_REQUEST, "invalid-limit", "Invalid limit",
                    "limit must be from 1 to " + MAX_LIMIT + ".");
        }
        return patches.list(wanted, limit);
    }

    @GetMapping(value = "/{id}/summary", produces = {"text/markdown", "text/plain", "*/*"})
    @PreAuthorize("hasRole('READ')")
    public ResponseEntity<String> summary(@PathVariable String id) {
        return ResponseEntity.ok().contentType(MARKDOWN).body(SummaryRenderer.render(patches.get(checked(id))));
    }

    /**
     * The combined output, streamed from this runner's log file; with {@code follow=true} the
     * response stays open and grows until the patch finishes. Written on the request thread
     * (not as async MVC), so the security context of the request holds throughout.
     */
    @GetMapping("/{id}/log")
    @PreAuthorize("hasRole('READ')")
    public void log(@PathVariable String id, @RequestParam(defaultValue = "false") boolean follow,
            HttpServletResponse response) throws IOException {
        PatchRecord record = patches.get(checked(id));
        Path file = state.log(id);
        if (!Files.exists(file) && !patches.activeHere(id)) {
            throw new GhostProblemException(HttpStatus.NOT_FOUND, "log-not-here", "Log not on this runner",
                    "The log of patch '" + id + "' is kept by runner " + record.getRunner() + " (or the patch never ran).")
                    .with("runner", record.getRunner());
        }
        response.setContentType(TEXT.toString());
        response.setHeader("Cache-Control", "no-store");
        stream(id, file, follow, response.getOutputStream());
    }

    /**
     * Sends what the log has, then (following) what it gets, at most {@code FOLLOW_INTERVAL} apart;
     * the end of the patch wakes the loop at once, so the response ends when the patch does.
     */
    private void stream(String id, Path file, boolean follow, OutputStream out) throws IOException {
        long offset = copyFrom(file, 0, new byte[16384], out);
        byte[] buffer = new byte[16384];
        boolean finished = !follow;
        while (!finished) {
            out.flush();
            try {
                finished = patches.awaitEndHere(id, FOLLOW_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            offset = copyFrom(file, offset, buffer, out);
        }
    }

    private static long copyFrom(Path file, long offset, byte[] buffer, OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(offset);
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                offset += read;
            }
        } catch (NoSuchFileException e) {
            // not started yet
        }
        return offset;
    }

    @PostMapping("/{id}/cancel")
    @PreAuthorize("hasRole('SUBMIT')")
    public ResponseEntity<PatchRecord> cancel(@PathVariable String id) {
        return ResponseEntity.accepted().body(patches.cancel(checked(id), Callers.current().getPrincipal()));
    }

    private static String checked(String id) {
        if (!ID.matcher(id).matches()) {
            throw PatchService.notFound(id);
        }
        return id;
    }
}
