package dev.ghost.runner.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The directories an overlay of a workspace needs, side by side in one directory of the runner's
 * state: {@code lower} (a link to the workspace, which stays untouched), {@code upper} (everything
 * the patch changes), {@code work} (overlayfs's own) and {@code merged} (where it is mounted,
 * inside the sandbox's mount namespace only). Fixed short names keep the mount options free of
 * the separators ({@code ,} and {@code :}) that a workspace path could contain.
 */
public record OverlayLayout(Path dir) {

    public static OverlayLayout create(Path dir, Path workspace) throws IOException {
        OverlayLayout layout = new OverlayLayout(dir);
        Files.createDirectories(layout.upper());
        Files.createDirectories(layout.work());
        Files.createDirectories(layout.merged());
        if (!Files.isSymbolicLink(layout.lower())) {
            Files.createSymbolicLink(layout.lower(), workspace);
        }
        return layout;
    }

    public Path lower() {
        return dir.resolve("lower");
    }

    public Path upper() {
        return dir.resolve("upper");
    }

    public Path work() {
        return dir.resolve("work");
    }

    public Path merged() {
        return dir.resolve("merged");
    }
}
