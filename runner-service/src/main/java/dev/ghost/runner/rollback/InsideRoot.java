package dev.ghost.runner.rollback;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Resolves workspace-relative paths for operations that must never land outside the workspace:
 * every directory on the way is checked to be a real directory (not a link, not a file) before the
 * path is handed out. Directories already checked are remembered, so a commit of thousands of files
 * in one directory checks that directory once; whoever replaces or removes a directory says so.
 */
final class InsideRoot {

    private final Path root;
    private final Set<Path> checked = new HashSet<>();

    InsideRoot(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path resolve(String relative) throws IOException {
        Path path = Path.of(relative).normalize();
        if (path.isAbsolute() || path.startsWith("..") || path.toString().isEmpty()) {
            throw new IOException("not a path inside the workspace: " + relative);
        }
        Path current = root;
        for (int i = 0; i < path.getNameCount() - 1; i++) {
            current = current.resolve(path.getName(i).toString());
            if (checked.contains(current)) {
                continue;
            }
            if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("refusing to go through '" + root.relativize(current)
                        + "': it is not a real directory (a link or a file took its place)");
            }
            checked.add(current);
        }
        return current.resolve(path.getFileName().toString());
    }

    /** {@code path} (and anything under it) was just replaced or removed: check it again next time. */
    void changed(Path path) {
        checked.removeIf(directory -> directory.startsWith(path));
    }
}
