package dev.ghost.common.patch;

import java.util.List;

/** A request body that broke one or more rules; carries every violation, not just the first. */
public class InvalidPatchException extends RuntimeException {

    private final transient List<Violation> violations;

    public InvalidPatchException(List<Violation> violations) {
        super(violations.size() + " violation(s): " + violations.get(0).pointer() + " " + violations.get(0).message());
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
