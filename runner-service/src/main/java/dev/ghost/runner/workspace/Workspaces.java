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

/**
 * The workspaces this runner may change, by name, and the file-system half of path safety:
 * the parser already refused absolute and {@code ..} paths lexically; here every path is resolved
 * against the real tree, so a symlink (in any component) leading outside the workspace is refused
 * too. Checked at submission and again right before the first mutation.
 */
public class Workspaces {

    private final Map<String, Path> roots = new TreeMap<>();

    public Workspaces(RunnerProperties properties) {
        properties.getWorkspaces().forEach((name, dir) -> {
            try {
                Files.createDirectories(dir);
                roots.put(name, dir.toRealPath());
            } catch (IOException e) {
                throw new UncheckedIOException("workspace '" + name + "' at " + dir + " cannot be created", e);
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

    /** Throws {@link InvalidPatchException} listing every path of the patch that is unsafe on disk. */
    public void checkPaths(Patch patch) {
        Path root = root(patch.target());
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < patch.mutations().size(); i++) {
            Mutation mutation = patch.mutations().get(i);
            String pointer = "/mutations/" + i + (mutation instanceof Mutation.UnifiedDiff ? "/diff" : "/path");
            for (String path : mutation.paths()) {
                String problem = problemWith(root, path);
                if (problem != null) {
                    violations.add(new Violation(pointer, problem));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidPatchException(violations);
        }
    }

    /** The absolute file a workspace-relative path names, after the checks of {@link #checkPaths}. */
    public static Path resolve(Path root, String relative) {
        return root.resolve(relative).normalize();
    }

    /**
     * Why {@code relative} is unsafe under {@code root}, or null when it is fine. Walks up to the
     * deepest ancestor that exists and resolves it with every symlink followed; a dangling symlink
     * is refused outright, since writing through it would create its target wherever it points.
     */
    static String problemWith(Path root, String relative) {
        Path file = resolve(root, relative);
        if (!file.startsWith(root) || file.equals(root)) {
            return "escapes the workspace: '" + relative + "'";
        }
        try {
            Path existing = file;
            while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
                return "'" + root.relativize(existing) + "' is a dangling symlink; refusing to write through it";
            }
            Path real = existing.toRealPath();
            if (!real.startsWith(root)) {
                return "resolves outside the workspace through a symlink: '" + relative + "'";
            }
            if (existing.equals(file) && Files.isDirectory(real)) {
                return "is a directory, not a file: '" + relative + "'";
            }
            if (!existing.equals(file) && !Files.isDirectory(real)) {
                return "'" + root.relativize(existing) + "' is a file, so '" + relative + "' cannot be created under it";
            }
            return null;
        } catch (IOException e) {
            return "cannot be checked: " + e.getMessage();
        }
    }
}
