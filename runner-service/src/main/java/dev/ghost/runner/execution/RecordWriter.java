package dev.ghost.runner.execution;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

import dev.ghost.runner.patch.PatchRecord;
import dev.ghost.runner.patch.PatchStore;

/**
 * Writes the records of patches this runner executes. Redis is not the source of truth for a
 * workspace: while it is unreachable, execution goes on and the latest version of each record
 * waits here until {@link #flush()} gets it through. A write is sent at once and its answer
 * awaited only when the caller asks ({@link Acceptance#accepted()}), so the patch's next work
 * overlaps the round trip. The caller settles one write before it sends the next of the same patch,
 * so an older version never overwrites a newer one; only a whole record may go out while an append
 * is unanswered, since it holds that step too.
 */
public class RecordWriter {

    private static final Logger log = LoggerFactory.getLogger(RecordWriter.class);

    /** Whether Redis took a write already sent; false only when it refused it (the patch was declared LOST or another runner owns it). */
    public interface Acceptance {
        boolean accepted();
    }

    private static final Acceptance KEPT = () -> true;

    private record Pending(PatchRecord record, String token) {
    }

    private final PatchStore store;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Object[] stripes = new Object[64];

    public RecordWriter(PatchStore store) {
        this.store = store;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    /** Sends the whole record. */
    public Acceptance write(PatchRecord record, String token) {
        String id = record.getId();
        Pending whole = new Pending(record, token);
        synchronized (stripe(id)) {
            try {
                PatchStore.OwnerWrite sent = store.write(record, token);
                pending.remove(id); // superseded: a flush must not write the older version over this one
                return new InFlight(id, sent, () -> whole);
            } catch (DataAccessException e) {
                return keep(whole, e);
            }
        }
    }

    /**
     * Appends a finished step to the patch's record in Redis. While Redis is away, or while an
     * earlier write of this patch still waits, the whole record ({@code whole}, which holds the step) waits instead.
     */
    public Acceptance appendStep(String id, PatchRecord.StepRecord step, String token, Supplier<PatchRecord> whole) {
        synchronized (stripe(id)) {
            if (pending.containsKey(id)) {
                pending.put(id, new Pending(whole.get(), token));
                return KEPT;
            }
            try {
                return new InFlight(id, store.appendStep(id, step, token), () -> new Pending(whole.get(), token));
            } catch (DataAccessException e) {
                return keep(new Pending(whole.get(), token), e);
            }
        }
    }

    private Acceptance keep(Pending latest, DataAccessException e) {
        pending.put(latest.record().getId(), latest);
        log.warn("record of patch {} ({}) kept until Redis is back: {}", latest.record().getId(), latest.record().getStatus(), e.getMessage());
        return KEPT;
    }

    /** A write sent; its answer, awaited once. */
    private final class InFlight implements Acceptance {

        private final String id;
        private final PatchStore.OwnerWrite sent;
        private final Supplier<Pending> latest;
        private Boolean accepted;

        InFlight(String id, PatchStore.OwnerWrite sent, Supplier<Pending> latest) {
            this.id = id;
            this.sent = sent;
            this.latest = latest;
        }

        @Override
        public boolean accepted() {
            synchronized (stripe(id)) {
                if (accepted == null) {
                    try {
                        accepted = sent.accepted();
                    } catch (DataAccessException e) {
                        accepted = keep(latest.get(), e).accepted();
                    }
                }
                return accepted;
            }
        }
    }

    public int pendingCount() {
        return pending.size();
    }

    /** Retries every write that failed; called periodically. */
    public void flush() {
        for (String id : pending.keySet()) {
            synchronized (stripe(id)) {
                Pending latest = pending.get(id);
                if (latest == null) {
                    continue;
                }
                try {
                    if (!store.write(latest.record(), latest.token()).accepted()) {
                        log.warn("record of patch {} not written after Redis returned: it was declared LOST meanwhile", id);
                    }
                    pending.remove(id, latest);
                } catch (DataAccessException e) {
                    return; // still down; next time
                }
            }
        }
    }

    private Object stripe(String id) {
        return stripes[Math.floorMod(id.hashCode(), stripes.length)];
    }
}
