package dev.ghost.common.patch;

/**
 * One thing wrong with a request body, located by an RFC 6901 JSON pointer
 * ({@code ""} is the whole document) so clients can point at the offending field.
 */
public record Violation(String pointer, String message) {
}
