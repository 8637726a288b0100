package dev.ghost.common.problem;

import java.util.ArrayList;
import java.util.List;

import dev.ghost.common.patch.Violation;

/** Collects every problem of a request, then fails once with all of them ({@link InvalidRequestException}). */
public final class Violations {

    private final List<Violation> found = new ArrayList<>();

    /** {@code pointer}: an RFC 6901 JSON pointer into the body, or a query parameter's name. */
    public Violations add(String pointer, String message) {
        found.add(new Violation(pointer, message));
        return this;
    }

    public int size() {
        return found.size();
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new InvalidRequestException(found);
        }
    }
}
