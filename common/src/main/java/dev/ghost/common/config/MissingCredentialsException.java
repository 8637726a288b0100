package dev.ghost.common.config;

/** Thrown at start-up when a service would otherwise run without any credential configured. */
public class MissingCredentialsException extends IllegalStateException {

    private final String action;

    public MissingCredentialsException(String problem, String action) {
        super(problem);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
