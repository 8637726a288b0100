package dev.ghost.common.patch;

import java.util.List;

/**
 * A validated patch (format v1). Build one with {@link PatchParser}; it only ever hands out
 * patches that passed every check, so holders need not re-validate.
 */
public record Patch(
        String id,
        String description,
        String target,
        List<Mutation> mutations,
        CommandPhase preCommit,
        CommandPhase postMutationBuild,
        CommandPhase validate,
        int timeoutSeconds,
        boolean rollbackOnFailure) {

    public static final String DEFAULT_TARGET = "default";
    public static final int DEFAULT_TIMEOUT_SECONDS = 600;

    public Patch {
        mutations = List.copyOf(mutations);
    }

    /** Every workspace-relative path any mutation may touch, in first-mention order. */
    public List<String> touchedPaths() {
        return mutations.stream().flatMap(m -> m.paths().stream()).distinct().toList();
    }
}
