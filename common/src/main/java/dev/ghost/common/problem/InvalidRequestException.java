package dev.ghost.common.problem;

import java.util.List;

import dev.ghost.common.patch.Violation;

/**
 * A request that broke one or more rules; carries every violation, not just the first. Every
 * service answers it the same way: a 400 problem listing each violation with its JSON pointer
 * ({@link Problems#invalidRequest}).
 */
public class InvalidRequestException extends RuntimeException {

    private final transient List<Violation> violations;

    public InvalidRequestException(List<Violation> violations) {
        super(violations.size() + " violation(s): " + violations.get(0).pointer() + " " + violations.get(0).message());
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
