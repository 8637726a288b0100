package dev.ghost.runner.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.http.HttpStatus;

import dev.ghost.common.patch.InvalidPatchException;
import dev.ghost.common.patch.Mutation;
import dev.ghost.common.patch.Patch;
import dev.ghost.common.patch.Violation;
import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.runner.config.RunnerProperties;
import dev.ghost.runner.config.RunnerProperties.Workspace;

/**
 * The workspaces this runner may change, by name, and the file-system half of path safety: the
 * parser already refused absolute, {@code ..} and over-long paths lexically; here every path is
 * resolved against the real tree, so a symlink (in any component) leading outside the workspace is
 * refused too, at submission. When the patch runs, the links that were there before it are
 * resolved once, before its first command: mutations then name real files, and whatever link
 * appears on their way later (a command may make one) is refused when the file is written.
 */
public class Workspaces {

    private final Map<String, Path> roots = new TreeMap<>();
    private final Map<String, Workspace> settings = new TreeMap<>();

    public Workspaces(RunnerProperties properties) {
        properties.workspaces().forEach((name, workspace) -> {
            try {
                Files.createDirectories(workspace.path());
                roots.put(name, workspace.path().toRealPath());
                settings.put(name, workspace);
            } catch (IOException e) {
                throw new UncheckedIOException("workspace '" + name + "' at " + workspace.path() + " cannot be created", e);
            }
        });
    }

    public Map<String, Path> all() {
        return Collections.unmodifiableMap(roots);
    }

    /** The real root of a target; 400 listing the known names when there is no such workspace. */
    public Path root(String target) {
        Path root = roots.get(target);
        if (root == null) {
            throw new GhostProblemException(HttpStatus.BAD_REQUEST, "unknown-target", "Unknown target",
                    "This runner has no workspace named '" + target + "'; known: " + String.join(", ", roots.keySet()) + ".")
                    .with("target", target)
                    .with("knownTargets", List.copyOf(roots.keySet()));
        }
        return root;
    }

    public Workspace settings(String target) {
        root(target);
        return settings.get(target);
    }

    /** Throws {@link InvalidPatchException} listing every path of the patch that is unsafe on disk. */
    public void checkPaths(Patch patch) {
        Path root = root(patch.target());
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < patch.mutations().size(); i++) {
            Mutation mutation = patch.mutations().get(i);
            String pointer = "/mutations/" + i + (mutation instanceof Mutation.UnifiedDiff ? "/diff" : "/path");
            for (String path : mutation.paths()) {
                try {
                    real(root, path, !(mutation instanceof Mutation.DeleteFile));
                } catch (UnsafePath e) {
                    violations.add(new Violation(pointer, e.getMessage()));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidPatchException(violations);
        }
    }

    /**
     * The mutations with every path replaced by where it really is now (links inside the workspace
     * followed; a deletion removes a link itself, not what it points at).
     */
    public List<Mutation> resolve(Patch patch) throws UnsafePath {
        Path root = root(patch.target());
        List<Mutation> resolved = new ArrayList<>();
        for (Mutation mutation : patch.mutations()) {
            resolved.add(resolve(root, mutation));
        }
        return resolved;
    }

    private static Mutation resolve(Path root, Mutation mutation) throws UnsafePath {
        if (mutation instanceof Mutation.WriteFile write) {
            return new Mutation.WriteFile(real(root, write.path(), true), write.contents());
        }
        if (mutation instanceof Mutation.RegexReplace replace) {
            return new Mutation.RegexReplace(real(root, replace.path(), true), replace.pattern(), replace.replacement());
        }
        if (mutation instanceof Mutation.DeleteFile delete) {
            return new Mutation.DeleteFile(real(root, delete.path(), false));
        }
        Mutation.UnifiedDiff diff = (Mutation.UnifiedDiff) mutation;
        List<Mutation.FileDiff> files = new ArrayList<>();
        for (Mutation.FileDiff file : diff.files()) {
            files.add(new Mutation.FileDiff(file.oldPath() == null ? null : real(root, file.oldPath(), true),
                    file.newPath() == null ? null : real(root, file.newPath(), true), file.hunks()));
        }
        return new Mutation.UnifiedDiff(diff.diff(), files);
    }

    /** A path that is unsafe on this workspace's disk. */
    public static class UnsafePath extends Exception {
        UnsafePath(String message) {
            super(message);
        }
    }

    /**
     * Where workspace-relative {@code relative} really is, relative to the root: the deepest
     * ancestor that exists is resolved with every link followed, and so is the file itself when
     * {@code followLast}. A dangling link is refused outright, since writing through it would create
     * its target wherever it points.
     */
    static String real(Path root, String relative, boolean followLast) throws UnsafePath {
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new UnsafePath("escapes the workspace: '" + relative + "'");
        }
        try {
            Path existing = followLast ? file : file.getParent();
            while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
                throw new UnsafePath("'" + root.relativize(existing) + "' is a dangling symlink; refusing to write through it");
            }
            Path real = existing.toRealPath();
            if (!real.startsWith(root)) {
                throw new UnsafePath("resolves outside the workspace through a symlink: '" + relative + "'");
            }
            Path resolved = real.resolve(existing.relativize(file).toString());
            if (resolved.equals(root)) {
                throw new UnsafePath("is the workspace itself: '" + relative + "'");
            }
            if (existing.equals(file) && Files.isDirectory(real)) {
                throw new UnsafePath("is a directory, not a file: '" + relative + "'");
            }
            if (!existing.equals(file) && !Files.isDirectory(real)) {
                throw new UnsafePath("'" + root.relativize(existing) + "' is a file, so '" + relative + "' cannot be created under it");
            }
            return root.relativize(resolved).toString();
        } catch (IOException e) {
            throw new UnsafePath("cannot be checked: " + e.getMessage());
        }
    }
}
