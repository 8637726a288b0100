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
 * waits here until {@link #flush()} gets it through. Writes of one patch are serialized, so an
 * older version never overwrites a newer one.
 */
public class RecordWriter {

    private static final Logger log = LoggerFactory.getLogger(RecordWriter.class);

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

    /** False only when Redis refused the write: the patch was declared LOST or another runner owns it. */
    public boolean write(PatchRecord record, String token) {
        synchronized (stripe(record.getId())) {
            try {
                boolean accepted = store.write(record, token);
                pending.remove(record.getId());
                return accepted;
            } catch (DataAccessException e) {
                pending.put(record.getId(), new Pending(record, token));
                log.warn("record of patch {} ({}) kept until Redis is back: {}", record.getId(), record.getStatus(), e.getMessage());
                return true;
            }
        }
    }

    /**
     * Appends a finished step to the patch's record in Redis; false only when Redis refused it (the
     * patch was declared LOST or another runner owns it). While Redis is away, or while an earlier
     * write of this patch still waits, the whole record ({@code whole}, which holds the step) waits instead.
     */
    public boolean appendStep(String id, PatchRecord.StepRecord step, String token, Supplier<PatchRecord> whole) {
        synchronized (stripe(id)) {
            if (pending.containsKey(id)) {
                pending.put(id, new Pending(whole.get(), token));
                return true;
            }
            try {
                return store.appendStep(id, step, token);
            } catch (DataAccessException e) {
                pending.put(id, new Pending(whole.get(), token));
                log.warn("steps of patch {} kept until Redis is back: {}", id, e.getMessage());
                return true;
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
                    if (!store.write(latest.record(), latest.token())) {
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
