package dev.ghost.runner.sandbox;

/** How a runner isolates the commands of a patch ({@code ghost.runner.sandbox}). */
public enum SandboxMode {
    /** bubblewrap namespaces over an overlay of the workspace: the default, and the only safe choice. */
    BUBBLEWRAP,
    /** Commands run as the runner's own user on the workspace itself; only when configured explicitly. */
    NONE
}
