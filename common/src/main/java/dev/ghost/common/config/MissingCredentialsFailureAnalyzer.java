package dev.ghost.common.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused insecure start into Boot's short "APPLICATION FAILED TO START" message, not a stack trace. */
public class MissingCredentialsFailureAnalyzer extends AbstractFailureAnalyzer<MissingCredentialsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingCredentialsException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
