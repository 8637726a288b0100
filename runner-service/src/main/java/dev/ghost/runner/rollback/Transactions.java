package dev.ghost.runner.rollback;

import java.io.IOException;
import java.nio.file.Path;

import tools.jackson.databind.json.JsonMapper;

import dev.ghost.runner.sandbox.Bubblewrap;
import dev.ghost.runner.sandbox.ProcessLimits;

/**
 * Opens each patch's transaction the way this runner isolates commands: on an overlay inside the
 * bubblewrap sandbox, or on the workspace itself behind a full copy when there is no sandbox. Also
 * undoes what a crashed patch's journal says was left half done.
 */
public class Transactions {

    private final Bubblewrap bubblewrap;
    private final DirtyMarker marker;
    private final JsonMapper json;

    /** @param bubblewrap null when the runner runs without a sandbox */
    public Transactions(Bubblewrap bubblewrap, DirtyMarker marker, JsonMapper json) {
        this.bubblewrap = bubblewrap;
        this.marker = marker;
        this.json = json;
    }

    public WorkspaceTransaction begin(Path journalDir, Journal.Meta meta, Path root, ProcessLimits limits, boolean network)
            throws IOException {
        if (bubblewrap != null) {
            Journal journal = Journal.open(journalDir, json, withKind(meta, Journal.Kind.OVERLAY));
            return new OverlayTransaction(journal, root, bubblewrap, limits, network, marker, json);
        }
        Journal journal = Journal.open(journalDir, json, withKind(meta, Journal.Kind.BACKUP));
        return new BackupTransaction(journal, root, limits, marker, json);
    }

    private static Journal.Meta withKind(Journal.Meta meta, Journal.Kind kind) {
        return new Journal.Meta(meta.patchId(), meta.target(), meta.root(), meta.runner(), kind, Journal.Phase.RUNNING);
    }

    /** Puts the workspace of a crashed patch back as it was; whether it had been changed. The journal is gone afterwards. */
    public boolean recover(Journal journal) throws IOException {
        Path root = Path.of(journal.meta().root());
        boolean restored = journal.meta().kind() == Journal.Kind.OVERLAY
                ? OverlayTransaction.recover(journal, root, json)
                : BackupTransaction.recover(journal, root, json);
        marker.clear(journal.meta());
        return restored;
    }
}
