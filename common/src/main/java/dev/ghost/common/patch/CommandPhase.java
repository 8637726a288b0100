package dev.ghost.common.patch;

import java.util.List;

/** The shell commands of one phase (preCommit, postMutationBuild, validate), run in order. */
public record CommandPhase(List<String> shell) {

    public static final CommandPhase NONE = new CommandPhase(List.of());

    public CommandPhase {
        shell = List.copyOf(shell);
    }
}
