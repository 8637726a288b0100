package dev.ghost.runner.sandbox;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Boot's short "APPLICATION FAILED TO START" message with what to do, not a stack trace. */
public class SandboxUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<SandboxUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SandboxUnavailableException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
