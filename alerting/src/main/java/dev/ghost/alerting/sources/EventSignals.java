package dev.ghost.alerting.sources;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.ghost.alerting.AlertSignal;
import dev.ghost.alerting.CauseClassifier;
import dev.ghost.alerting.Link;
import dev.ghost.common.event.GhostEvent;

/**
 * The one place that knows the shapes of other services' events and turns them into signals:
 * {@code health.*} from the health-aggregator (subject: service, and instance for instance
 * transitions; dependency for a dependency several services share), {@code patch.*} from the runners (subject: target), {@code relay.dead_letter}
 * from the relay (subject: subscriber). Signal names are the event types; rules decide which
 * alert. Failed patches get the classified failure type of their failing step's output (the
 * terminal event, or the last failed {@code patch.step} seen for that patch).
 */
public class EventSignals {

    static final Set<String> PATCH_OUTCOMES = Set.of("patch.failed", "patch.timed_out", "patch.lost", "patch.succeeded",
            "patch.cancelled");
    private static final Set<String> STEP_SUCCESS = Set.of("ok", "succeeded", "success", "passed", "skipped");
    private static final int REMEMBERED_STEPS = 1_000;

    private final String patchSummaryUrl;
    private final Optional<CauseClassifier> classifier;
    private final Map<String, Map<String, Object>> failedSteps = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
            return size() > REMEMBERED_STEPS;
        }
    };

    /** @param patchSummaryUrl where a patch's summary is read; {@code {patchId}} is replaced */
    public EventSignals(String patchSummaryUrl, Optional<CauseClassifier> classifier) {
        this.patchSummaryUrl = patchSummaryUrl;
        this.classifier = classifier;
    }

    /** The signals an event carries (none for events alerting does not use). */
    public List<AlertSignal> from(GhostEvent event) {
        String type = event.type() == null ? "" : event.type();
        Map<String, Object> data = event.data();
        if (type.startsWith("health.instance.")) {
            return instance(event, type, data);
        }
        if (type.startsWith("health.service.")) {
            return service(event, type, data);
        }
        if (type.startsWith("health.dependency.")) {
            return dependency(event, type, data);
        }
        if (type.equals("patch.step")) {
            rememberStep(data);
            return List.of();
        }
        if (PATCH_OUTCOMES.contains(type)) {
            return patch(event, type, data);
        }
        if (type.equals("relay.dead_letter")) {
            return deadLetter(event, data);
        }
        return List.of();
    }

    private List<AlertSignal> instance(GhostEvent event, String type, Map<String, Object> data) {
        String service = text(data, "service");
        String instance = text(data, "instance");
        if (service == null || instance == null) {
            return List.of();
        }
        Map<String, String> annotations = annotations(data, "status", "previous", "reason", "via", "flips");
        if (type.equals("health.instance.flapping")) {
            annotations.put(AlertSignal.FLAPPING, "true");
        }
        if (type.equals("health.instance.up") && "FLAPPING".equals(text(data, "previous"))) {
            annotations.put(AlertSignal.SETTLED, "true"); // the aggregator already waited for it to settle
        }
        Long downMillis = number(data, "downMillis");
        if (downMillis != null) {
            annotations.put("downFor", downMillis / 1000 + "s");
        }
        return List.of(signal(event, type, Map.of("service", service, "instance", instance), null, annotations, List.of()));
    }

    private List<AlertSignal> service(GhostEvent event, String type, Map<String, Object> data) {
        String service = text(data, "service");
        if (service == null) {
            return List.of();
        }
        return List.of(signal(event, type, Map.of("service", service), null, annotations(data, "status", "previous", "reason"),
                List.of()));
    }

    private List<AlertSignal> dependency(GhostEvent event, String type, Map<String, Object> data) {
        String dependency = text(data, "dependency");
        if (dependency == null) {
            return List.of();
        }
        Map<String, String> annotations = annotations(data, "status", "previous", "reason");
        if (data.get("services") instanceof List<?> services && !services.isEmpty()) {
            annotations.put("services", String.join(", ", services.stream().map(String::valueOf).toList()));
        }
        return List.of(signal(event, type, Map.of("dependency", dependency), null, annotations, List.of()));
    }

    private List<AlertSignal> patch(GhostEvent event, String type, Map<String, Object> data) {
        String target = text(data, "target");
        String patchId = text(data, "patchId");
        if (target == null) {
            return List.of();
        }
        Map<String, Object> step;
        synchronized (failedSteps) {
            step = patchId == null ? null : failedSteps.remove(patchId);
        }
        if (type.equals("patch.succeeded") || type.equals("patch.cancelled")) {
            return List.of(signal(event, type, Map.of("target", target), null, annotations(data, "patchId", "runner"), List.of()));
        }
        Map<String, Object> merged = new LinkedHashMap<>(step == null ? Map.of() : step);
        data.forEach((key, value) -> {
            if (value != null) {
                merged.put(key, value);
            }
        });
        Map<String, String> annotations = annotations(merged, "patchId", "status", "runner", "step", "exitCode", "outputTail",
                "error", "phase");
        cause(type, merged).ifPresent(cause -> {
            annotations.put(AlertSignal.CAUSE, cause.type());
            annotations.put(AlertSignal.CAUSE_PROBABILITY, String.valueOf(cause.probability()));
        });
        List<Link> links = patchId == null ? List.of() : List.of(new Link("Patch summary",
                patchSummaryUrl.replace("{patchId}", URLEncoder.encode(patchId, StandardCharsets.UTF_8))));
        return List.of(signal(event, type, Map.of("target", target), null, annotations, links));
    }

    /** The classifier's verdict on the failing output; without output, what the outcome itself says. */
    private Optional<CauseClassifier.Cause> cause(String type, Map<String, Object> data) {
        String given = text(data, "failureType");
        if (given != null) {
            return Optional.of(new CauseClassifier.Cause(given, 1.0));
        }
        String evidence = String.join("\n", nonNull(text(data, "step")), nonNull(text(data, "error")),
                nonNull(text(data, "outputTail"))).strip();
        if (!evidence.isEmpty() && classifier.isPresent()) {
            Optional<CauseClassifier.Cause> classified = classifier.get().classify(evidence);
            if (classified.isPresent()) {
                return classified;
            }
        }
        return switch (type) {
            case "patch.timed_out" -> Optional.of(new CauseClassifier.Cause("timeout", 1.0));
            case "patch.lost" -> Optional.of(new CauseClassifier.Cause("runner lost", 1.0));
            default -> Optional.empty();
        };
    }

    private void rememberStep(Map<String, Object> data) {
        String patchId = text(data, "patchId");
        String outcome = text(data, "outcome");
        Long exitCode = number(data, "exitCode");
        boolean failed = (outcome != null && !STEP_SUCCESS.contains(outcome.toLowerCase())) || (exitCode != null && exitCode != 0);
        if (patchId != null && failed) {
            synchronized (failedSteps) {
                failedSteps.put(patchId, data);
            }
        }
    }

    private List<AlertSignal> deadLetter(GhostEvent event, Map<String, Object> data) {
        String subscriber = text(data, "subscriber");
        if (subscriber == null) {
            return List.of();
        }
        return List.of(signal(event, "relay.dead_letter", Map.of("subscriber", subscriber), null,
                annotations(data, "eventType", "eventId", "deadLetterId", "error"), List.of()));
    }

    private static AlertSignal signal(GhostEvent event, String name, Map<String, String> subject, Double value,
            Map<String, String> annotations, List<Link> links) {
        Instant at = event.time() != null ? event.time() : Instant.now();
        return new AlertSignal(name, subject, value, annotations, links, List.of(), at, event.id());
    }

    private static Map<String, String> annotations(Map<String, Object> data, String... keys) {
        Map<String, String> annotations = new LinkedHashMap<>();
        for (String key : keys) {
            String value = text(data, key);
            if (value != null && !value.isBlank()) {
                annotations.put(key, value);
            }
        }
        return annotations;
    }

    private static String text(Map<String, Object> data, String key) {
        Object value = data.get(key);
        return value == null ? null : String.valueOf(value);
    }

    private static Long number(Map<String, Object> data, String key) {
        Object value = data.get(key);
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return value == null ? null : Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }
}
