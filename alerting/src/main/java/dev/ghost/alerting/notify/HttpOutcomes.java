package dev.ghost.alerting.notify;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/** What an HTTP channel's answer, or its failure, means for a delivery; shared by the JSON channels. */
public final class HttpOutcomes {

    private HttpOutcomes() {
    }

    /** 2xx delivered; 408, 429 and 5xx worth another try (after Retry-After if given); any other refused for good. */
    public static DeliveryResult ofStatus(int status, Map<String, List<String>> headers, String reason) {
        if (status >= 200 && status < 300) {
            return new DeliveryResult.Delivered();
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new DeliveryResult.Retry(RetryAfter.of(headers), reason);
        }
        return new DeliveryResult.Rejected(reason);
    }

    /**
     * A call that failed without an answer: never connected (refused, unknown host, connect
     * timeout) is a plain retry, nothing was sent; anything after that (a read timeout, a reset)
     * is unanswered: the other side may have acted on it.
     */
    public static DeliveryResult ofFailure(Exception failure, Redactor redactor) {
        String reason = redactor.redact(describe(failure));
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException
                    || cause.getClass().getSimpleName().equals("ConnectTimeoutException")) {
                return new DeliveryResult.Retry(null, "unreachable: " + reason);
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedIOException) {
                return new DeliveryResult.Unanswered("no answer: " + reason);
            }
        }
        return new DeliveryResult.Unanswered("connection failed after sending: " + reason);
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }
}
