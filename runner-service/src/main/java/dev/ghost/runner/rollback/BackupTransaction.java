package dev.ghost.runner.rollback;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.json.JsonMapper;

import dev.ghost.runner.sandbox.ProcessLimits;
import dev.ghost.runner.workspace.LayeredFiles;
import dev.ghost.runner.workspace.WorkspaceFiles;

/**
 * Without a sandbox ({@code ghost.runner.sandbox=none}) a patch works on the workspace itself: the
 * whole workspace is copied before its first step, and rollback puts the copy back. Costs a copy of
 * the tree per patch; the overlay of the sandbox costs only what the patch changes.
 */
final class BackupTransaction implements WorkspaceTransaction {

    /** Exit status of the wrapper when the limits could not be set. */
    static final int SETUP_FAILED = 125;

    private final Journal journal;
    private final Path root;
    private final TreeBackup backup;
    private final ProcessLimits limits;
    private final DirtyMarker marker;
    private final WorkspaceFiles files;

    BackupTransaction(Journal journal, Path root, ProcessLimits limits, DirtyMarker marker, JsonMapper json) throws IOException {
        this.journal = journal;
        this.root = root;
        this.limits = limits;
        this.marker = marker;
        this.backup = TreeBackup.saveAll(root, journal.dir().resolve("backup"), json);
        this.files = LayeredFiles.direct(root);
        marker.mark(journal.meta());
    }

    @Override
    public Journal journal() {
        return journal;
    }

    @Override
    public WorkspaceFiles files() {
        return files;
    }

    @Override
    public byte[] original(String path) throws IOException {
        Optional<Path> saved = backup.saved(path);
        if (saved.isEmpty() || !Files.isRegularFile(saved.get(), LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return Files.readAllBytes(saved.get());
    }

    /** Its own session and process group (setsid), so that everything it starts can be found and killed. */
    @Override
    public ProcessBuilder command(List<String> argv, Map<String, String> environment) {
        List<String> command = new ArrayList<>(List.of("setsid"));
        command.addAll(limits.wrap(argv, SETUP_FAILED));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }

    @Override
    public boolean containsProcesses() {
        return false;
    }

    /** Commands ran on the workspace itself: whether they changed it is not known without comparing it with the backup. */
    @Override
    public boolean changed() {
        return true;
    }

    @Override
    public void commit() throws IOException {
        journal.delete();
        marker.clear(journal.meta());
    }

    @Override
    public boolean rollback() throws IOException {
        backup.restore(root);
        journal.delete();
        marker.clear(journal.meta());
        return true;
    }

    /** After a crash: the workspace may be anything the patch made of it; the copy puts it back. */
    static boolean recover(Journal journal, Path root, JsonMapper json) throws IOException {
        Optional<TreeBackup> backup = TreeBackup.load(journal.dir().resolve("backup"), json);
        if (backup.isPresent()) {
            backup.get().restore(root); // a backup that was never completed means no step had started
        }
        journal.delete();
        return backup.isPresent();
    }
}
