package dev.ghost.runner.workspace;

import java.io.IOException;

/**
 * A patch's view of its workspace, as the JVM reads and writes it for mutations. No operation
 * follows a symbolic link: a path through a link (however and whenever it got there) is refused,
 * and writes replace a file by renaming a new one over it, so they never reach an inode that a
 * hard link shares with a file elsewhere.
 */
public interface WorkspaceFiles {

    /** The bytes of the regular file at {@code path}, or null when nothing is there. */
    byte[] read(String path) throws IOException, UnsafePathException;

    /** Creates or replaces the regular file at {@code path} (and missing parent directories); an existing file keeps its permissions. */
    void write(String path, byte[] content) throws IOException, UnsafePathException;

    /** Removes the file or link at {@code path}; false when there was nothing to remove. */
    boolean delete(String path) throws IOException, UnsafePathException;

    /** Whether anything (file, link, directory) is at {@code path}. */
    boolean exists(String path) throws IOException, UnsafePathException;

    /** A path that cannot be used safely: through a link, a file where a directory should be, a directory where a file should be. */
    class UnsafePathException extends Exception {
        public UnsafePathException(String message) {
            super(message);
        }
    }
}
