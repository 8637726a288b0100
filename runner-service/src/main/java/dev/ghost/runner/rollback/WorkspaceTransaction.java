package dev.ghost.runner.rollback;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import dev.ghost.runner.workspace.WorkspaceFiles;

/**
 * One patch's changes to its workspace, all or nothing: its mutations and its commands work on
 * {@link #files()} and {@link #command}, and the workspace ends either with all of it
 * ({@link #commit()}) or byte for byte as it was ({@link #rollback()}), including whatever the
 * commands created, changed or deleted. Its {@link Journal} lets a restarted runner finish the job.
 */
public interface WorkspaceTransaction {

    Journal journal();

    /** The workspace as the patch sees it, for mutations. */
    WorkspaceFiles files();

    /** The bytes the regular file at {@code path} had before the patch; null when there was none. */
    byte[] original(String path) throws IOException;

    /** A process that runs {@code argv} on the patch's view of the workspace with only {@code environment}. */
    ProcessBuilder command(List<String> argv, Map<String, String> environment);

    /** Whether killing the process of {@link #command} ends every process it started. */
    boolean containsProcesses();

    /** Whether the patch has changed anything so far, so that {@link #commit()} would change the workspace. */
    boolean changed() throws IOException;

    /** Makes the patch's changes the workspace's; the journal is gone afterwards. */
    void commit() throws IOException;

    /** Puts the workspace back as it was; whether the patch had changed anything. The journal is gone afterwards. */
    boolean rollback() throws IOException;
}
