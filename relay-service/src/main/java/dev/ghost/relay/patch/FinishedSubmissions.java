package dev.ghost.relay.patch;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.http.HttpHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.patch.CanonicalJson;

/**
 * Runners' answers to resubmissions of patches that have finished: the very same body again (a CI
 * job retrying, a webhook redelivered) is a dedup hit whose answer can no longer change, so the relay
 * gives it without a hop to a runner. Only a runner's {@code 200 Ghost-Dedup: hit} on a finished
 * record is kept, keyed by the body's SHA-256, for as long as runners keep their own finished
 * records in memory (a minute): no longer than a runner would answer from memory itself. Such an
 * answer carries HTTP's {@code Age} header (seconds since the runner gave it), as a cache's would.
 */
public class FinishedSubmissions {

    static final String DEDUP_HEADER = "Ghost-Dedup";

    private record Kept(RunnerGateway.Upstream answer, long keptAtNanos) {
    }

    private final Cache<String, Kept> answers;
    private final JsonMapper json;

    public FinishedSubmissions(JsonMapper json, Duration keepFor, long maximumSize) {
        this.json = json;
        this.answers = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(keepFor).build();
    }

    /** The answer a runner gave to this very body, if it was a dedup hit on a finished patch. */
    public Optional<RunnerGateway.Upstream> find(byte[] body) {
        Kept kept = answers.getIfPresent(CanonicalJson.sha256Hex(body));
        if (kept == null) {
            return Optional.empty();
        }
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(kept.answer().headers());
        headers.set(HttpHeaders.AGE, String.valueOf(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - kept.keptAtNanos())));
        RunnerGateway.Upstream answer = kept.answer();
        return Optional.of(new RunnerGateway.Upstream(answer.status(), headers, answer.body(), answer.runner()));
    }

    /** Keeps a runner's answer to {@code body} when it can no longer change. */
    public void offer(byte[] body, RunnerGateway.Upstream answer) {
        if (answer.status() == 200 && "hit".equals(answer.headers().getFirst(DEDUP_HEADER)) && finished(answer.body())) {
            answers.put(CanonicalJson.sha256Hex(body), new Kept(answer, System.nanoTime()));
        }
    }

    private boolean finished(byte[] record) {
        try {
            return PatchRecords.finished(json.readTree(record).path("status").asString(""));
        } catch (JacksonException e) {
            return false;
        }
    }
}
