package dev.ghost.common.patch;

import java.util.List;

/**
 * A patch that passed validation, with its canonical-JSON SHA-256 {@code hash} (the dedup key
 * beside its id), the canonical JSON itself and the warnings about ignored fields.
 */
public record ParsedPatch(Patch patch, String hash, String canonicalJson, List<String> warnings) {
    public ParsedPatch {
        warnings = List.copyOf(warnings);
    }
}
