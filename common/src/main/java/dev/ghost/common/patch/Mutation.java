package dev.ghost.common.patch;

import java.util.List;

/** One file mutation of a patch. Every kind names the workspace-relative paths it touches. */
public sealed interface Mutation {

    /** Workspace-relative paths this mutation may create, change or delete. */
    List<String> paths();

    /** Replaces (or creates) a whole file. */
    record WriteFile(String path, String contents) implements Mutation {
        public List<String> paths() {
            return List.of(path);
        }
    }

    /** Replaces every match of a Java regex; a pattern that matches nothing fails the patch. */
    record RegexReplace(String path, String pattern, String replacement) implements Mutation {
        public List<String> paths() {
            return List.of(path);
        }
    }

    /** Deletes a file. */
    record DeleteFile(String path) implements Mutation {
        public List<String> paths() {
            return List.of(path);
        }
    }

    /**
     * A unified diff as {@code git diff} writes it; may touch several files. {@code files}
     * holds its parsed per-file sections, so paths are validated before anything runs.
     */
    record UnifiedDiff(String diff, List<FileDiff> files) implements Mutation {
        public List<String> paths() {
            return files.stream().flatMap(f -> f.touchedPaths().stream()).distinct().toList();
        }
    }

    /**
     * One file's section of a unified diff. {@code oldPath} is null for a created file,
     * {@code newPath} null for a deleted one.
     */
    record FileDiff(String oldPath, String newPath, com.github.difflib.patch.Patch<String> hunks) {
        public List<String> touchedPaths() {
            if (oldPath == null) {
                return List.of(newPath);
            }
            if (newPath == null || newPath.equals(oldPath)) {
                return List.of(oldPath);
            }
            return List.of(oldPath, newPath);
        }
    }
}
