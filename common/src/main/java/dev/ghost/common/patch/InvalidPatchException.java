package dev.ghost.common.patch;

import java.util.List;

import dev.ghost.common.problem.InvalidRequestException;

/** A patch that broke one or more rules of the patch format; carries every violation, not just the first. */
public class InvalidPatchException extends InvalidRequestException {

    public InvalidPatchException(List<Violation> violations) {
        super(violations);
    }
}
