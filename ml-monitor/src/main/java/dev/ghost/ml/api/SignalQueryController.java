package dev.ghost.ml.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.ghost.common.patch.Violation;
import dev.ghost.common.problem.InvalidRequestException;
import dev.ghost.ml.classify.ClassificationService;
import dev.ghost.ml.classify.FailureClassifier;
import dev.ghost.ml.classify.FailureType;
import dev.ghost.ml.predict.PredictionService;
import dev.ghost.ml.signal.Signal;
import dev.ghost.ml.signal.SignalKind;
import dev.ghost.ml.signal.SignalStore;
import dev.ghost.ml.templates.TemplateService;

/** The read side of the monitor, and the classifier's own calls. */
@RestController
public class SignalQueryController {

    static final int MAX_LIMIT = 1000;

    /** @param since the earliest detection time included */
    public record SignalList(Instant since, int count, List<Signal> signals) {
    }

    public record ClassificationList(Instant since, int count, List<Signal> classifications) {
    }

    /** Without a source: the known {@code sources}, most recently active first; with one: its templates, most frequent first. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TemplatesAnswer(List<String> sources, String source, Integer count, List<TemplateService.TemplateView> templates) {
    }

    public record PredictionList(int count, List<PredictionService.Prediction> predictions) {
    }

    /** @param examples examples kept in all (replayed at start) */
    public record FeedbackLearned(int learned, int examples) {
    }

    private final SignalStore store;
    private final TemplateService templates;
    private final PredictionService predictions;
    private final ClassificationService classifications;

    public SignalQueryController(SignalStore store, TemplateService templates, PredictionService predictions,
            ClassificationService classifications) {
        this.store = store;
        this.templates = templates;
        this.predictions = predictions;
        this.classifications = classifications;
    }

    /** Anomalies, bursts and new templates, newest first; {@code since} is an ISO instant or a duration like {@code 1h} (default 24h). */
    @GetMapping("/anomalies")
    @PreAuthorize("hasRole('READ')")
    public SignalList anomalies(@RequestParam(required = false) String since, @RequestParam(required = false) String source,
            @RequestParam(required = false) String kind, @RequestParam(defaultValue = "100") int limit) {
        Set<SignalKind> kinds = EnumSet.of(SignalKind.ANOMALY, SignalKind.BURST, SignalKind.NEW_TEMPLATE);
        List<Violation> violations = new ArrayList<>();
        if (kind != null) {
            SignalKind chosen = kinds.stream().filter(k -> k.key().equals(kind)).findFirst().orElse(null);
            if (chosen == null) {
                violations.add(new Violation("/kind", "one of anomaly, burst, new-template"));
            } else {
                kinds = EnumSet.of(chosen);
            }
        }
        Instant from = since(since, violations);
        check(limit, violations);
        List<Signal> found = store.find(kinds, from, s -> source == null || source.equals(s.label("source")), limit);
        return new SignalList(from, found.size(), found);
    }

    /** Classified failures, newest first, optionally for one source or target and one failure type. */
    @GetMapping("/classifications")
    @PreAuthorize("hasRole('READ')")
    public ClassificationList classifications(@RequestParam(required = false) String since,
            @RequestParam(required = false) String source, @RequestParam(required = false) String type,
            @RequestParam(defaultValue = "100") int limit) {
        List<Violation> violations = new ArrayList<>();
        Instant from = since(since, violations);
        check(limit, violations);
        List<Signal> found = store.find(EnumSet.of(SignalKind.FAILURE), from,
                s -> (source == null || source.equals(s.label("source")) || source.equals(s.label("target")))
                        && (type == null || type.equals(s.label("failureType"))), limit);
        return new ClassificationList(from, found.size(), found);
    }

    /** Templates of one source (counts, first and last seen), or the list of sources when none is given. */
    @GetMapping("/templates")
    @PreAuthorize("hasRole('READ')")
    public TemplatesAnswer templates(@RequestParam(required = false) String source) {
        if (source == null || source.isBlank()) {
            return new TemplatesAnswer(templates.sourceNames(), null, null, null);
        }
        List<TemplateService.TemplateView> list = templates.templates(source);
        return new TemplatesAnswer(null, source, list.size(), list);
    }

    /** Figures forecast to cross their threshold within the horizon, soonest first. */
    @GetMapping("/predictions")
    @PreAuthorize("hasRole('READ')")
    public PredictionList predictions() {
        List<PredictionService.Prediction> upcoming = predictions.upcoming(Instant.now());
        return new PredictionList(upcoming.size(), upcoming);
    }

    public record ClassifyRequest(String text) {
    }

    public record FeedbackItem(String text, String type) {
    }

    /** Classifies a message without recording anything. */
    @PostMapping("/classify")
    @PreAuthorize("hasRole('READ')")
    public FailureClassifier.Prediction classify(@RequestBody ClassifyRequest request) {
        if (request == null || request.text() == null || request.text().isBlank()) {
            throw new InvalidRequestException(List.of(new Violation("/text", "required")));
        }
        return classifications.classify(request.text());
    }

    /** Adds labelled examples (one object or an array) and retrains at once. */
    @PostMapping("/classify/feedback")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public FeedbackLearned feedback(@RequestBody List<FeedbackItem> items) {
        List<Violation> violations = new ArrayList<>();
        List<FailureClassifier.Example> examples = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            FeedbackItem item = items.get(i);
            if (item == null || item.text() == null || item.text().isBlank()) {
                violations.add(new Violation("/" + i + "/text", "required"));
            }
            FailureType type = null;
            try {
                type = item == null || item.type() == null ? null : FailureType.fromLabel(item.type());
            } catch (IllegalArgumentException e) {
                type = null;
            }
            if (type == null) {
                violations.add(new Violation("/" + i + "/type", "one of " + java.util.Arrays.stream(FailureType.values()).map(FailureType::label).toList()));
            }
            if (type != null && item.text() != null && !item.text().isBlank()) {
                examples.add(new FailureClassifier.Example(type, item.text()));
            }
        }
        if (items.isEmpty()) {
            violations.add(new Violation("", "at least one example"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return new FeedbackLearned(examples.size(), classifications.learn(examples));
    }

    private static Instant since(String since, List<Violation> violations) {
        if (since == null || since.isBlank()) {
            return Instant.now().minus(Duration.ofHours(24));
        }
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            try {
                return Instant.now().minus(Duration.parse("PT" + since.toUpperCase(java.util.Locale.ROOT)));
            } catch (DateTimeParseException e2) {
                violations.add(new Violation("/since", "an ISO-8601 instant or a duration such as 30m or 2h"));
                return Instant.EPOCH;
            }
        }
    }

    private static void check(int limit, List<Violation> violations) {
        if (limit < 1 || limit > MAX_LIMIT) {
            violations.add(new Violation("/limit", "between 1 and " + MAX_LIMIT));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
    }
}
