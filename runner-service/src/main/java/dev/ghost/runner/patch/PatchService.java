package dev.ghost.runner.patch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.HttpStatus;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.ghost.common.patch.CanonicalJson;
import dev.ghost.common.patch.InvalidPatchException;
import dev.ghost.common.patch.ParsedPatch;
import dev.ghost.common.patch.PatchParser;
import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.security.GhostPrincipal;
import dev.ghost.common.security.Role;
import dev.ghost.runner.config.RunnerProperties;
import dev.ghost.runner.execution.ActivePatch;
import dev.ghost.runner.execution.PatchEvents;
import dev.ghost.runner.execution.PatchExecution;
import dev.ghost.runner.execution.PatchQueue;
import dev.ghost.runner.workspace.Workspaces;

/**
 * Accepting, finding and cancelling patches; shared by the HTTP API and the inbox. Submission
 * never waits for execution: it validates, deduplicates in Redis, records QUEUED and queues.
 */
public class PatchService {

    /** The record answered, and whether it was already known (a dedup hit). */
    public record Submission(PatchRecord record, boolean duplicate) {
    }

    /** What a body parsed to; a body seen again needs no parsing to be recognised as a duplicate. */
    private record Parsed(String id, String hash) {
    }

    private final PatchParser parser = new PatchParser();
    /** SHA-256 of a raw body → its id and canonical hash: clients retrying send the very same bytes. */
    private final Cache<String, Parsed> parsedBodies = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterAccess(Duration.ofMinutes(10)).build();
    /** Records of finished patches, which no longer change: a dedup hit on one needs no Redis round trip. */
    private final Cache<String, PatchRecord> finished = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();
    private final Workspaces workspaces;
    private final PatchStore store;
    private final PatchQueue queue;
    private final PatchExecution execution;
    private final PatchEvents events;
    private final RunnerProperties properties;

    public PatchService(Workspaces workspaces, PatchStore store, PatchQueue queue, PatchExecution execution,
            PatchEvents events, RunnerProperties properties) {
        this.workspaces = workspaces;
        this.store = store;
        this.queue = queue;
        this.execution = execution;
        this.events = events;
        this.properties = properties;
    }

    public Submission submit(byte[] body, String submittedBy) {
        String bodyHash = CanonicalJson.sha256Hex(body);
        Parsed seen = parsedBodies.getIfPresent(bodyHash);
        if (seen != null) {
            Optional<PatchRecord> known = findKnown(seen.id());
            if (known.isPresent()) {
                return duplicate(known.get(), seen.hash());
            }
        }
        ParsedPatch parsed;
        try {
            parsed = parser.parse(body);
        } catch (InvalidPatchException e) {
            events.rejected();
            throw e;
        }
        String id = parsed.patch().id();
        parsedBodies.put(bodyHash, new Parsed(id, parsed.hash()));
        // a new patch costs no lookup in Redis: the create below answers a record stored there meanwhile
        Optional<PatchRecord> known = findKnownHere(id);
        if (known.isPresent()) {
            return duplicate(known.get(), parsed.hash());
        }
        try {
            workspaces.checkPaths(parsed.patch()); // also refuses an unknown target
        } catch (InvalidPatchException | GhostProblemException e) {
            return duplicateOrRefuse(id, parsed.hash(), e, events::rejected);
        }
        if (!queue.reserve()) {
            return duplicateOrRefuse(id, parsed.hash(), new GhostProblemException(HttpStatus.TOO_MANY_REQUESTS, "queue-full",
                    "Queue full", "This runner already has " + properties.queueCapacity() + " patches waiting; retry later.")
                    .with("queueCapacity", properties.queueCapacity())
                    .header("Retry-After", String.valueOf(properties.retryAfterSeconds())), events::queueFull);
        }
        boolean queued = false;
        try {
            PatchRecord record = new PatchRecord();
            record.setId(id);
            record.setHash(parsed.hash());
            record.setStatus(PatchStatus.QUEUED);
            record.setTarget(parsed.patch().target());
            record.setDescription(parsed.patch().description());
            record.setRunner(properties.instanceId());
            record.setSubmittedBy(submittedBy);
            record.setSubmittedAt(Instant.now());
            record.setWarnings(parsed.warnings());
            String token = properties.instanceId() + "/" + UUID.randomUUID();
            Optional<PatchRecord> raced = store.create(record, token);
            if (raced.isPresent()) {
                return duplicate(raced.get(), parsed.hash());
            }
            PatchRecord accepted = record.copy(); // as accepted: the worker may change the live record at once
            events.lifecycle(accepted);
            queue.enqueue(new ActivePatch(parsed, record, token));
            queued = true;
            return new Submission(accepted, false);
        } finally {
            if (!queued) {
                queue.unreserve();
            }
        }
    }

    /** The record of a known patch: this runner's live copy while it holds it, else a finished one, else Redis's. */
    private Optional<PatchRecord> findKnown(String id) {
        Optional<PatchRecord> here = findKnownHere(id);
        if (here.isPresent()) {
            return here;
        }
        Optional<PatchRecord> stored = store.find(id);
        // LOST may still change (a restarted runner records the restore); every other end is final
        stored.filter(record -> record.getStatus().terminal() && record.getStatus() != PatchStatus.LOST)
                .ifPresent(record -> finished.put(id, record));
        return stored;
    }

    private Optional<PatchRecord> findKnownHere(String id) {
        Optional<ActivePatch> active = queue.find(id);
        return active.isPresent() ? Optional.of(active.get().snapshot()) : Optional.ofNullable(finished.getIfPresent(id));
    }

    /** A patch this runner would refuse is still answered as the duplicate it is when some runner recorded it. */
    private Submission duplicateOrRefuse(String id, String hash, RuntimeException refusal, Runnable countRefusal) {
        Optional<PatchRecord> known = findKnown(id);
        if (known.isPresent()) {
            return duplicate(known.get(), hash);
        }
        countRefusal.run();
        throw refusal;
    }

    private Submission duplicate(PatchRecord known, String hash) {
        if (!known.getHash().equals(hash)) {
            events.rejected();
            throw new GhostProblemException(HttpStatus.CONFLICT, "patch-id-conflict", "Patch id already used",
                    "Patch '" + known.getId() + "' was already submitted with other content; give a changed patch a new id.")
                    .with("patchId", known.getId())
                    .with("existingHash", known.getHash())
                    .with("hash", hash);
        }
        events.dedupHit();
        return new Submission(known, true);
    }

    /** The freshest record: this runner's own copy while it holds the patch, else Redis's. */
    public PatchRecord get(String id) {
        return find(id).orElseThrow(() -> notFound(id));
    }

    public Optional<PatchRecord> find(String id) {
        Optional<ActivePatch> active = queue.find(id);
        return active.isPresent() ? Optional.of(active.get().snapshot()) : store.find(id);
    }

    /** Whether this runner still works on the patch (queued or running). */
    public boolean activeHere(String id) {
        return queue.find(id).isPresent();
    }

    /** Waits up to {@code timeout} for this runner to be done with the patch; whether it is (true at once when it never had it). */
    public boolean awaitEndHere(String id, java.time.Duration timeout) throws InterruptedException {
        Optional<ActivePatch> active = queue.find(id);
        return active.isEmpty() || active.get().awaitEnd(timeout);
    }

    public List<PatchRecord> list(PatchStatus status, int limit) {
        return store.recent(status, limit);
    }

    /**
     * Cancels a queued or running patch: taken out of the queue here, or told to stop (its commands
     * are killed and its changes rolled back), or, when another runner holds it, flagged in Redis for
     * that runner's lease keeper to see. Only its submitter or an ADMIN may cancel it.
     */
    public PatchRecord cancel(String id, GhostPrincipal caller) {
        requireSubmitterOrAdmin(find(id).orElseThrow(() -> notFound(id)), caller);
        Optional<ActivePatch> active = queue.find(id);
        if (active.isPresent()) {
            active.get().cancel();
            Optional<ActivePatch> waiting = queue.removeWaiting(id);
            if (waiting.isPresent()) {
                execution.finishUnstarted(waiting.get(), PatchStatus.CANCELLED, "cancelled on request before it started");
                return waiting.get().snapshot();
            }
            return active.get().snapshot();
        }
        PatchRecord record = store.find(id).orElseThrow(() -> notFound(id));
        if (record.getStatus().terminal()) {
            throw new GhostProblemException(HttpStatus.CONFLICT, "patch-finished", "Patch already finished",
                    "Patch '" + id + "' is " + record.getStatus() + "; there is nothing left to cancel.")
                    .with("patchStatus", record.getStatus().name());
        }
        store.requestCancel(id);
        return record;
    }

    private static void requireSubmitterOrAdmin(PatchRecord record, GhostPrincipal caller) {
        if (!caller.roles().contains(Role.ADMIN) && !caller.name().equals(record.getSubmittedBy())) {
            throw new GhostProblemException(HttpStatus.FORBIDDEN, "not-your-patch", "Not your patch",
                    "Patch '" + record.getId() + "' was submitted by another caller; only its submitter or an ADMIN may cancel it.");
        }
    }

    static GhostProblemException notFound(String id) {
        return new GhostProblemException(HttpStatus.NOT_FOUND, "patch-not-found", "No such patch",
                "No patch '" + id + "' is known (records are kept for a limited time).");
    }
}
