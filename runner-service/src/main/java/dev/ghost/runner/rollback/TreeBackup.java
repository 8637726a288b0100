package dev.ghost.runner.rollback;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;

/**
 * Entries of a workspace as they were (files, links and whole directory trees, or their absence),
 * saved in a directory of the runner's state, and put back exactly on {@link #restore}. Restoring
 * copies rather than moves, so a restore interrupted by a crash can simply run again; and it never
 * goes through a link: an entry whose parent is not a real directory any more is refused.
 */
public final class TreeBackup {

    /** {@code copy} names the saved tree in the backup directory; null when the entry did not exist. */
    record Saved(String path, String copy) {
    }

    /**
     * @param wholeRoot the entries are every child the root had, so anything else found there on restore goes
     * @param permissions directories whose permissions a commit may change, as they were
     */
    record Manifest(List<Saved> entries, boolean wholeRoot, Map<String, String> permissions) {
    }

    private static final String MANIFEST = "backup.json";

    private final Path dir;
    private final Manifest manifest;

    private TreeBackup(Path dir, Manifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /**
     * Saves {@code paths} of {@code root}. {@code hardLinks}: regular files are hard-linked instead
     * of copied, for workspaces that are only ever changed by renaming new files into place.
     */
    public static TreeBackup save(Path root, Collection<String> paths, Map<String, String> permissions, Path dir,
            boolean hardLinks, JsonMapper json) throws IOException {
        return save(new InsideRoot(root), List.copyOf(paths), false, permissions, dir, hardLinks, json);
    }

    /** Saves everything in {@code root}, by copy: for a workspace that its commands will change in place. */
    public static TreeBackup saveAll(Path root, Path dir, JsonMapper json) throws IOException {
        List<String> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            entries.forEach(entry -> children.add(entry.getFileName().toString()));
        }
        return save(new InsideRoot(root), children, true, Map.of(), dir, false, json);
    }

    private static TreeBackup save(InsideRoot root, List<String> paths, boolean wholeRoot, Map<String, String> permissions,
            Path dir, boolean hardLinks, JsonMapper json) throws IOException {
        Files.createDirectories(dir);
        List<Saved> saved = new ArrayList<>();
        for (String path : paths) {
            Path entry = root.resolve(path);
            if (Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
                String copy = "e" + saved.size();
                TreeFiles.copy(entry, dir.resolve(copy), hardLinks);
                saved.add(new Saved(path, copy));
            } else {
                saved.add(new Saved(path, null));
            }
        }
        Manifest manifest = new Manifest(saved, wholeRoot, Map.copyOf(permissions));
        Path temporary = dir.resolve(MANIFEST + ".tmp");
        Files.write(temporary, json.writeValueAsBytes(manifest));
        Files.move(temporary, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
        return new TreeBackup(dir, manifest);
    }

    /** The backup in {@code dir}, if it was completely written. */
    public static Optional<TreeBackup> load(Path dir, JsonMapper json) throws IOException {
        Path file = dir.resolve(MANIFEST);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(new TreeBackup(dir, json.readValue(Files.readAllBytes(file), Manifest.class)));
    }

    /** Where the saved copy of workspace-relative {@code path} is, if the backup holds it (or a directory above it). */
    public Optional<Path> saved(String path) {
        for (Saved entry : manifest.entries()) {
            if (entry.copy() != null && (path.equals(entry.path()) || path.startsWith(entry.path() + "/"))) {
                String below = path.substring(entry.path().length());
                return Optional.of(dir.resolve(entry.copy() + below));
            }
        }
        return Optional.empty();
    }

    /** Makes every saved entry of {@code root} what it was, and (for a whole-root backup) removes what was not there. */
    public void restore(Path workspace) throws IOException {
        InsideRoot root = new InsideRoot(workspace);
        if (manifest.wholeRoot()) {
            Set<String> kept = new HashSet<>();
            manifest.entries().forEach(entry -> kept.add(entry.path()));
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(workspace)) {
                for (Path entry : entries) {
                    if (!kept.contains(entry.getFileName().toString())) {
                        TreeFiles.delete(entry);
                    }
                }
            }
        }
        for (int i = manifest.entries().size() - 1; i >= 0; i--) {
            Saved entry = manifest.entries().get(i);
            Path target = root.resolve(entry.path());
            TreeFiles.delete(target);
            root.changed(target);
            if (entry.copy() != null) {
                TreeFiles.copy(dir.resolve(entry.copy()), target, false);
            }
        }
        for (Map.Entry<String, String> directory : manifest.permissions().entrySet()) {
            Path target = root.resolve(directory.getKey());
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(directory.getValue()));
            }
        }
    }
}
