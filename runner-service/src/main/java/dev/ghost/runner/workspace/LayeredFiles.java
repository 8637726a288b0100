package dev.ghost.runner.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The workspace as overlayfs shows it to a patch's commands, read and written by the JVM between
 * commands: {@code upper} holds what the patch changed, {@code lower} (the workspace itself) the
 * rest. Lookups follow overlayfs's rules (a whiteout hides the lower entry, an opaque directory
 * hides the lower directory's contents) so that a mutation sees exactly what the commands before it
 * left, and writes go to {@code upper} in overlayfs's own format. Removing something that the
 * lower layer shows takes a whiteout, which only overlayfs can make: {@code lowerRemover} asks the
 * sandbox to remove it through the mounted overlay.
 *
 * <p>Without a lower layer ({@code lower == null}) this is the workspace itself, with the same
 * no-follow, replace-by-rename rules.
 */
public final class LayeredFiles implements WorkspaceFiles {

    /** Removes a path that the lower layer shows, through the mounted overlay. */
    @FunctionalInterface
    public interface LowerRemover {
        void remove(String path) throws IOException;
    }

    private final Path upper;
    private final Path lower;
    private final LowerRemover lowerRemover;

    public LayeredFiles(Path upper, Path lower, LowerRemover lowerRemover) {
        this.upper = upper;
        this.lower = lower;
        this.lowerRemover = lowerRemover;
    }

    /** The workspace itself, with no layer beneath. */
    public static LayeredFiles direct(Path root) {
        return new LayeredFiles(root, null, path -> {
            throw new IllegalStateException("no lower layer");
        });
    }

    /** What is at a path: {@code file} null when nothing; {@code shadowsLower} when the lower layer has an entry there too. */
    private record Entry(Path file, BasicFileAttributes attributes, boolean inUpper, boolean shadowsLower) {
        static final Entry ABSENT = new Entry(null, null, false, false);

        boolean exists() {
            return file != null;
        }
    }

    @Override
    public byte[] read(String path) throws IOException, UnsafePathException {
        Entry entry = lookup(names(path));
        if (!entry.exists()) {
            return null;
        }
        requireRegularFile(path, entry);
        return Files.readAllBytes(entry.file());
    }

    @Override
    public void write(String path, byte[] content) throws IOException, UnsafePathException {
        List<String> names = names(path);
        Path parent = directories(names.subList(0, names.size() - 1));
        Entry entry = lookup(names);
        Set<PosixFilePermission> permissions = null;
        if (entry.exists()) {
            requireRegularFile(path, entry);
            permissions = ((PosixFileAttributes) entry.attributes()).permissions();
        }
        String name = names.get(names.size() - 1);
        Path temporary = parent.resolve("." + name + ".ghost-" + UUID.randomUUID());
        try {
            Files.write(temporary, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            if (permissions != null) {
                Files.setPosixFilePermissions(temporary, permissions);
            }
            Files.move(temporary, parent.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public boolean delete(String path) throws IOException, UnsafePathException {
        Entry entry = lookup(names(path));
        if (!entry.exists()) {
            return false;
        }
        if (entry.attributes().isDirectory()) {
            throw new UnsafePathException("'" + path + "' is a directory, not a file");
        }
        if (entry.inUpper()) {
            Files.delete(entry.file());
        }
        if (!entry.inUpper() || entry.shadowsLower()) {
            lowerRemover.remove(path);
        }
        return true;
    }

    @Override
    public boolean exists(String path) throws IOException, UnsafePathException {
        return lookup(names(path)).exists();
    }

    private static List<String> names(String path) {
        List<String> names = Arrays.asList(Path.of(path).normalize().toString().split("/"));
        if (names.isEmpty() || names.contains("..") || names.get(0).isEmpty()) {
            throw new IllegalArgumentException("not a relative path inside the workspace: " + path);
        }
        return names;
    }

    private Entry lookup(List<String> names) throws IOException, UnsafePathException {
        Path upperDir = upper;
        Path lowerDir = lower;
        boolean lowerVisible = lower != null;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            boolean last = i == names.size() - 1;
            Path upperEntry = upperDir.resolve(name);
            BasicFileAttributes upperAttributes = attributes(upperEntry);
            Path lowerEntry = lowerVisible ? lowerDir.resolve(name) : null;
            BasicFileAttributes lowerAttributes = lowerVisible ? attributes(lowerEntry) : null;
            if (upperAttributes != null && OverlayMarks.isWhiteout(upperEntry, upperAttributes)) {
                return Entry.ABSENT;
            }
            if (upperAttributes != null) {
                if (last) {
                    return new Entry(upperEntry, upperAttributes, true, lowerAttributes != null);
                }
                requireDirectory(names, i, upperAttributes);
                lowerVisible = lowerAttributes != null && lowerAttributes.isDirectory() && !OverlayMarks.isOpaque(upperEntry);
            } else if (lowerAttributes != null) {
                if (last) {
                    return new Entry(lowerEntry, lowerAttributes, false, true);
                }
                requireDirectory(names, i, lowerAttributes);
            } else {
                return Entry.ABSENT;
            }
            upperDir = upperEntry;
            lowerDir = lowerEntry;
        }
        throw new IllegalStateException("unreachable");
    }

    /** Makes every directory of {@code names} exist in the upper layer, as overlayfs would; returns the deepest. */
    private Path directories(List<String> names) throws IOException, UnsafePathException {
        Path upperDir = upper;
        Path lowerDir = lower;
        boolean lowerVisible = lower != null;
        for (int i = 0; i < names.size(); i++) {
            Path upperEntry = upperDir.resolve(names.get(i));
            BasicFileAttributes upperAttributes = attributes(upperEntry);
            Path lowerEntry = lowerVisible ? lowerDir.resolve(names.get(i)) : null;
            BasicFileAttributes lowerAttributes = lowerVisible ? attributes(lowerEntry) : null;
            if (upperAttributes != null && OverlayMarks.isWhiteout(upperEntry, upperAttributes)) {
                // a directory made where a deleted one was: the old contents must stay hidden
                Files.delete(upperEntry);
                Files.createDirectory(upperEntry);
                OverlayMarks.setOpaque(upperEntry);
                lowerVisible = false;
            } else if (upperAttributes != null) {
                requireDirectory(names, i, upperAttributes);
                lowerVisible = lowerAttributes != null && lowerAttributes.isDirectory() && !OverlayMarks.isOpaque(upperEntry);
            } else if (lowerAttributes != null) {
                requireDirectory(names, i, lowerAttributes);
                Files.createDirectory(upperEntry);
                // the same permissions as below, so that committing it changes nothing of the directory
                Files.setPosixFilePermissions(upperEntry, ((PosixFileAttributes) lowerAttributes).permissions());
            } else {
                Files.createDirectory(upperEntry);
                lowerVisible = false;
            }
            upperDir = upperEntry;
            lowerDir = lowerEntry;
        }
        return upperDir;
    }

    private static void requireDirectory(List<String> names, int index, BasicFileAttributes attributes) throws UnsafePathException {
        String prefix = String.join("/", names.subList(0, index + 1));
        if (attributes.isSymbolicLink()) {
            throw new UnsafePathException("'" + prefix + "' is a symlink; nothing is written or read through a link");
        }
        if (!attributes.isDirectory()) {
            throw new UnsafePathException("'" + prefix + "' is a file, not a directory");
        }
    }

    private static void requireRegularFile(String path, Entry entry) throws UnsafePathException {
        if (entry.attributes().isSymbolicLink()) {
            throw new UnsafePathException("'" + path + "' is a symlink; nothing is written or read through a link");
        }
        if (entry.attributes().isDirectory()) {
            throw new UnsafePathException("'" + path + "' is a directory, not a file");
        }
        if (!entry.attributes().isRegularFile()) {
            throw new UnsafePathException("'" + path + "' is not a regular file");
        }
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (java.nio.file.FileSystemException e) {
            if ("Not a directory".equals(e.getReason())) {
                return null;
            }
            throw e;
        }
    }
}
