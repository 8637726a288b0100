package dev.ghost.runner.execution;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;

import dev.ghost.runner.workspace.Workspaces;

/**
 * The files a patch is about to touch, as they were: content, POSIX mode, mtime, or absence (and
 * the directories a write would create). Written to the runner's state directory and synced
 * before the first mutation, so a restarted runner can still restore them after a crash.
 */
public final class Snapshot {

    static final String MANIFEST = "manifest.json";

    /** One touched path; {@code copy} is the saved content's file name when it existed. */
    public record Entry(String path, boolean existed, String mode, Long modifiedMillis, String copy) {
    }

    /** What is written to disk. */
    public record Manifest(String root, List<Entry> entries, List<String> createdDirectories) {
    }

    private final Path dir;
    private final Manifest manifest;

    private Snapshot(Path dir, Manifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    public static Snapshot take(Path root, List<String> paths, Path dir, JsonMapper json) throws IOException {
        Files.createDirectories(dir);
        List<Entry> entries = new ArrayList<>();
        Set<String> missingDirectories = new LinkedHashSet<>();
        int n = 0;
        for (String relative : paths) {
            Path file = Workspaces.resolve(root, relative);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                // a symlink inside the workspace: mutations write through it, so keep what it points at
                file = file.toRealPath();
                relative = root.relativize(file).toString();
                String copy = "file-" + n++;
                Files.copy(file, dir.resolve(copy), StandardCopyOption.COPY_ATTRIBUTES);
                force(dir.resolve(copy));
                entries.add(new Entry(relative, true, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                        Files.getLastModifiedTime(file).toMillis(), copy));
            } else {
                entries.add(new Entry(relative, false, null, null, null));
                for (Path parent = file.getParent(); !parent.equals(root) && !Files.exists(parent); parent = parent.getParent()) {
                    missingDirectories.add(root.relativize(parent).toString());
                }
            }
        }
        Manifest manifest = new Manifest(root.toString(), entries, List.copyOf(missingDirectories));
        Path temporary = dir.resolve(MANIFEST + ".tmp");
        Files.write(temporary, json.writeValueAsBytes(manifest));
        force(temporary);
        Files.move(temporary, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
        return new Snapshot(dir, manifest);
    }

    /** The snapshot a crashed run left in {@code dir}, if it got as far as writing its manifest. */
    public static Optional<Snapshot> load(Path dir, JsonMapper json) throws IOException {
        Path file = dir.resolve(MANIFEST);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(new Snapshot(dir, json.readValue(Files.readAllBytes(file), Manifest.class)));
    }

    public Path root() {
        return Path.of(manifest.root());
    }

    public List<Entry> entries() {
        return manifest.entries();
    }

    /** The content {@code entry} had, or null when it did not exist. */
    public byte[] before(Entry entry) throws IOException {
        return entry.existed() ? Files.readAllBytes(dir.resolve(entry.copy())) : null;
    }

    /** Puts every touched path back exactly as it was; created files and directories go away. */
    public void restore() throws IOException {
        Path root = root();
        for (Entry entry : manifest.entries()) {
            Path file = Workspaces.resolve(root, entry.path());
            if (!entry.existed()) {
                Files.deleteIfExists(file);
                continue;
            }
            Files.createDirectories(file.getParent());
            // copy beside it and rename over it: the file is never seen half-restored
            Path temporary = file.resolveSibling("." + file.getFileName() + ".ghost-restore");
            Files.copy(dir.resolve(entry.copy()), temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(entry.mode()));
            Files.setLastModifiedTime(temporary, FileTime.fromMillis(entry.modifiedMillis()));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        manifest.createdDirectories().stream()
                .map(relative -> Workspaces.resolve(root, relative))
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                .forEach(Snapshot::deleteIfEmpty);
    }

    private static void deleteIfEmpty(Path directory) {
        try {
            Files.deleteIfExists(directory);
        } catch (DirectoryNotEmptyException e) {
            // a command put files there that the patch never named; they are not the snapshot's to remove
        } catch (NoSuchFileException ignored) {
            // already gone
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
