package dev.ghost.runner.rollback;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;

import dev.ghost.runner.workspace.OverlayMarks;

/**
 * Whole-tree operations that never follow a symbolic link: a link is deleted, copied and moved as
 * the link it is, never as what it points at. Directory walks use the NIO visitor, which does not
 * follow links unless asked to.
 */
public final class TreeFiles {

    /** The prefix of overlayfs's own extended attributes ({@code user.} namespace, as unprivileged mounts use). */
    private static final String OVERLAY_ATTRIBUTE_PREFIX = "overlay.";

    private TreeFiles() {
    }

    /** Deletes {@code path} and, when it is a real directory, everything under it; a missing path is fine. */
    public static void delete(Path path) throws IOException {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                // overlayfs creates its work/work directory with mode 000: the runner owns it, but unless it
                // is root it can list and empty it only after giving itself the rights back
                if (e instanceof AccessDeniedException && Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
                    delete(file);
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Copies {@code source} (file, link or tree) to {@code target}, which must not exist: content,
     * permissions and modification times; links as links. With {@code hardLinks}, regular files are
     * hard-linked instead of copied where the file system allows: only for sources that are never
     * written in place afterwards (everything the runner writes, it writes to a new file and renames).
     */
    public static void copy(Path source, Path target, boolean hardLinks) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) throws IOException {
                Files.createDirectory(target.resolve(source.relativize(directory).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Path copy = target.resolve(source.relativize(file).toString());
                if (attributes.isOther()) {
                    return FileVisitResult.CONTINUE; // fifos, sockets: nothing to keep, and reading a fifo would block
                }
                if (hardLinks && attributes.isRegularFile() && link(copy, file)) {
                    return FileVisitResult.CONTINUE;
                }
                Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Path copy = target.resolve(source.relativize(directory).toString());
                Files.setPosixFilePermissions(copy, Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS));
                Files.setLastModifiedTime(copy, Files.getLastModifiedTime(directory, LinkOption.NOFOLLOW_LINKS));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static boolean link(Path link, Path existing) {
        try {
            Files.createLink(link, existing);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException | UnsupportedOperationException e) {
            return false; // another file system, or hard links to files of other owners refused: copy instead
        }
    }

    /**
     * Moves {@code source} to {@code target}, replacing a file or link there (never a directory): a
     * rename, or across file systems a copy beside the target renamed over it.
     */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Path temporary = target.resolveSibling("." + target.getFileName() + ".ghost-" + java.util.UUID.randomUUID());
            copy(source, temporary, false);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            delete(source);
        }
    }

    /**
     * Removes what only means something inside an overlay from {@code path} and, for a directory,
     * from everything under it: overlayfs's bookkeeping attributes, and whiteouts (which in a
     * moved directory mark nothing any more).
     */
    public static void clearOverlayMarks(Path path) throws IOException {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            clearAttributes(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                clearAttributes(directory);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (OverlayMarks.isWhiteout(file, attributes)) {
                    Files.delete(file);
                } else {
                    clearAttributes(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void clearAttributes(Path path) {
        if (Files.isSymbolicLink(path)) {
            return; // user attributes cannot be set on links, so overlayfs never put any there
        }
        UserDefinedFileAttributeView view = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        try {
            for (String name : view.list()) {
                if (name.startsWith(OVERLAY_ATTRIBUTE_PREFIX)) {
                    view.delete(name);
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // a file system without user attributes has none to clear
        }
    }

    /** The POSIX permissions of {@code path} as text (e.g. rwxr-xr-x), links not followed. */
    public static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
