package dev.ghost.runner.rollback;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import tools.jackson.databind.json.JsonMapper;

import dev.ghost.runner.sandbox.Bubblewrap;
import dev.ghost.runner.sandbox.OverlayLayout;
import dev.ghost.runner.sandbox.ProcessLimits;
import dev.ghost.runner.workspace.LayeredFiles;
import dev.ghost.runner.workspace.OverlayMarks;
import dev.ghost.runner.workspace.WorkspaceFiles;

/**
 * A patch on an overlay of its workspace: the workspace is the lower layer and never changes while
 * the patch runs; everything the patch does (mutations and commands) lands in the upper layer.
 * Rollback throws the upper layer away. Commit moves it into the workspace: whiteouts become
 * deletions, opaque directories replace what was there, new and changed entries are renamed into
 * place. Before the first rename, what the commit will replace is saved (hard links, so it costs
 * no copying) and the journal enters COMMITTING, so a crash halfway is undone on restart.
 */
final class OverlayTransaction implements WorkspaceTransaction {

    private enum Kind { REMOVE, REPLACE, DIRECTORY }

    /** {@code below}: what the workspace has at {@code path}: nothing (null), a directory, or something else. */
    private record Change(Kind kind, String path, Below below) {
    }

    private enum Below { DIRECTORY, OTHER }

    private final Journal journal;
    private final Path root;
    private final OverlayLayout layout;
    private final Bubblewrap bubblewrap;
    private final ProcessLimits limits;
    private final boolean network;
    private final DirtyMarker marker;
    private final JsonMapper json;
    private final LayeredFiles files;

    OverlayTransaction(Journal journal, Path root, Bubblewrap bubblewrap, ProcessLimits limits, boolean network,
            DirtyMarker marker, JsonMapper json) throws IOException {
        this.journal = journal;
        this.root = root;
        this.layout = OverlayLayout.create(journal.dir(), root);
        this.bubblewrap = bubblewrap;
        this.limits = limits;
        this.network = network;
        this.marker = marker;
        this.json = json;
        this.files = new LayeredFiles(layout.upper(), root, this::removeThroughOverlay);
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
        try {
            return LayeredFiles.direct(root).read(path);
        } catch (WorkspaceFiles.UnsafePathException e) {
            return null;
        }
    }

    @Override
    public ProcessBuilder command(List<String> argv, Map<String, String> environment) {
        Map<String, String> inside = new LinkedHashMap<>(environment);
        inside.put("HOME", Bubblewrap.HOME);
        inside.put("TMPDIR", "/tmp");
        return bubblewrap.command(layout, argv, inside, limits, network);
    }

    @Override
    public boolean containsProcesses() {
        return true;
    }

    /** Only overlayfs can make a whiteout, so a deletion of something the workspace has goes through the mounted overlay. */
    private void removeThroughOverlay(String path) throws IOException {
        Process process = command(List.of("rm", "-f", "--", Bubblewrap.WORKSPACE + "/" + path), Map.of("PATH", "/usr/bin:/bin"))
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("removing '" + path + "' did not finish");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while removing '" + path + "'");
        }
        if (process.exitValue() != 0) {
            throw new IOException("cannot remove '" + path + "': " + output);
        }
    }

    @Override
    public void commit() throws IOException {
        List<Change> changes = new ArrayList<>();
        plan(layout.upper(), "", changes);
        if (changes.isEmpty()) {
            journal.delete();
            return;
        }
        List<String> replaced = new ArrayList<>();
        Map<String, String> permissions = new LinkedHashMap<>();
        for (Change change : changes) {
            if (change.kind() == Kind.DIRECTORY) {
                permissions.put(change.path(), TreeFiles.permissions(root.resolve(change.path())));
            } else {
                replaced.add(change.path());
            }
        }
        TreeBackup backup = TreeBackup.save(root, replaced, permissions, journal.dir().resolve("backup"), true, json);
        marker.mark(journal.meta());
        journal.enter(Journal.Phase.COMMITTING);
        try {
            InsideRoot inside = new InsideRoot(root);
            for (Change change : changes) {
                apply(change, inside);
            }
        } catch (IOException | RuntimeException e) {
            backup.restore(root);
            journal.delete();
            marker.clear(journal.meta());
            throw e;
        }
        journal.delete();
        marker.clear(journal.meta());
    }

    /** What moving {@code upper} into the workspace takes, parents before children. */
    private void plan(Path upper, String prefix, List<Change> changes) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(upper)) {
            entries.forEach(entry -> names.add(entry.getFileName().toString()));
        }
        for (String name : names) {
            String path = prefix + name;
            Path entry = upper.resolve(name);
            BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Path below = root.resolve(path);
            BasicFileAttributes belowAttributes = attributes(below);
            Below kind = belowAttributes == null ? null : belowAttributes.isDirectory() ? Below.DIRECTORY : Below.OTHER;
            if (OverlayMarks.isWhiteout(entry, attributes)) {
                if (kind != null) {
                    changes.add(new Change(Kind.REMOVE, path, kind));
                }
            } else if (attributes.isDirectory() && kind == Below.DIRECTORY && !OverlayMarks.isOpaque(entry)) {
                if (!TreeFiles.permissions(entry).equals(TreeFiles.permissions(below))) {
                    changes.add(new Change(Kind.DIRECTORY, path, kind));
                }
                plan(entry, path + "/", changes);
            } else {
                changes.add(new Change(Kind.REPLACE, path, kind));
            }
        }
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private void apply(Change change, InsideRoot inside) throws IOException {
        Path target = inside.resolve(change.path());
        Path source = layout.upper().resolve(change.path());
        switch (change.kind()) {
            case REMOVE -> {
                TreeFiles.delete(target);
                inside.changed(target);
            }
            case DIRECTORY -> Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(source, LinkOption.NOFOLLOW_LINKS));
            case REPLACE -> {
                if (change.below() == Below.DIRECTORY) {
                    TreeFiles.delete(target);
                    inside.changed(target);
                }
                // over a file or link, the rename replaces it in one step: the entry is never missing
                TreeFiles.move(source, target);
                TreeFiles.clearOverlayMarks(target);
            }
        }
    }

    @Override
    public boolean changed() throws IOException {
        try (Stream<Path> entries = Files.list(layout.upper())) {
            return entries.findAny().isPresent();
        }
    }

    @Override
    public boolean rollback() throws IOException {
        boolean changed = changed();
        journal.delete();
        return changed;
    }

    /** After a crash: undoes a commit that was under way; a patch that had not reached its commit left the workspace untouched. */
    static boolean recover(Journal journal, Path root, JsonMapper json) throws IOException {
        boolean restored = false;
        if (journal.meta().phase() == Journal.Phase.COMMITTING) {
            TreeBackup backup = TreeBackup.load(journal.dir().resolve("backup"), json)
                    .orElseThrow(() -> new IOException("the journal is COMMITTING but its backup is missing"));
            backup.restore(root);
            restored = true;
        } else {
            Path upper = new OverlayLayout(journal.dir()).upper();
            if (Files.isDirectory(upper)) {
                try (Stream<Path> entries = Files.list(upper)) {
                    restored = entries.findAny().isPresent();
                }
            }
        }
        journal.delete();
        return restored;
    }
}
