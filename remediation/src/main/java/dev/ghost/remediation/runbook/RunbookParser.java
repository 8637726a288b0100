package dev.ghost.remediation.runbook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.ghost.alerting.model.LabelMatcher;
import dev.ghost.common.patch.CanonicalJson;
import dev.ghost.common.patch.InvalidPatchException;
import dev.ghost.common.patch.PatchParser;
import dev.ghost.common.patch.Violation;
import dev.ghost.common.problem.InvalidRequestException;

/**
 * Reads a runbook (JSON, or YAML from the runbooks directory) and checks every rule at once, so an
 * author learns of all mistakes in one answer: the name, matchers (Alertmanager syntax), parameters
 * (one source each, a pattern that compiles, values that fit it), the placeholders (each names a
 * parameter), and the patch template itself, rendered with example values and held to the very
 * rules of every patch (common's {@link PatchParser}), its violations pointed at under {@code /patch}.
 */
public final class RunbookParser {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    static final Set<String> FIELDS = Set.of("name", "description", "matchers", "parameters", "automatic", "patch", "version");
    static final int MAX_RUNS_PER_HOUR = 60;

    private final JsonMapper json;
    private final PatchParser patches = new PatchParser();

    public RunbookParser(JsonMapper json) {
        this.json = json;
    }

    /** YAML or JSON text (JSON is YAML); an unreadable text is one violation at the root. */
    public JsonNode read(byte[] text) {
        try {
            Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(text, StandardCharsets.UTF_8));
            return json.valueToTree(tree);
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new InvalidRequestException(List.of(new Violation("", "not a readable runbook (JSON or YAML): " + reason)));
        }
    }

    /** Parses and checks; {@link InvalidRequestException} lists every violation. Version 0: the catalog numbers it. */
    public Runbook parse(String name, JsonNode root, String source, String by) {
        List<Violation> violations = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            violations.add(new Violation("/name", "must be 1-40 characters of a-z 0-9 and -, starting with a letter or digit"));
        }
        if (root == null || !root.isObject()) {
            violations.add(new Violation("", "a runbook is a JSON object (or YAML mapping)"));
            throw new InvalidRequestException(violations);
        }
        if (root.hasNonNull("name") && !root.get("name").asString("").equals(name)) {
            violations.add(new Violation("/name", "differs from the name it is stored under ('" + name + "')"));
        }
        String description = null;
        if (root.hasNonNull("description")) {
            if (root.get("description").isString()) {
                description = root.get("description").stringValue();
            } else {
                violations.add(new Violation("/description", "must be a string"));
            }
        }
        List<String> matchers = matchers(root.get("matchers"), violations);
        Map<String, Runbook.Parameter> parameters = parameters(root.get("parameters"), violations);
        Runbook.Automatic automatic = automatic(root.get("automatic"), violations);
        JsonNode patch = root.get("patch");
        if (patch == null || !patch.isObject()) {
            violations.add(new Violation("/patch", "a patch template is required: a patch (format v1) without id"));
        } else {
            template(patch, parameters, violations);
        }
        for (String field : root.propertyNames()) {
            if (!FIELDS.contains(field)) {
                violations.add(new Violation("/" + field, "unknown field; a runbook has " + new java.util.TreeSet<>(FIELDS)));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        ObjectNode canonical = json.createObjectNode();
        canonical.put("name", name);
        if (description != null) {
            canonical.put("description", description);
        }
        canonical.set("matchers", json.valueToTree(matchers));
        canonical.set("parameters", json.valueToTree(parameters));
        canonical.set("automatic", json.valueToTree(automatic));
        canonical.set("patch", patch);
        String hash = CanonicalJson.sha256Hex(CanonicalJson.write(canonical));
        return new Runbook(name, 0, description, matchers, parameters, automatic, patch, hash, source, Instant.now(), by);
    }

    private static List<String> matchers(JsonNode node, List<Violation> violations) {
        List<String> matchers = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            violations.add(new Violation("/matchers", "at least one matcher, e.g. [\"alertname=\\\"InstanceDown\\\"\", \"service=~\\\"shop-.*\\\"\"]"));
            return matchers;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isString()) {
                violations.add(new Violation("/matchers/" + i, "must be a string like alertname=\"InstanceDown\""));
                continue;
            }
            try {
                LabelMatcher.parse(item.stringValue());
                matchers.add(item.stringValue());
            } catch (RuntimeException e) {
                violations.add(new Violation("/matchers/" + i, "not a matcher: " + e.getMessage()));
            }
        }
        return matchers;
    }

    private static Map<String, Runbook.Parameter> parameters(JsonNode node, List<Violation> violations) {
        Map<String, Runbook.Parameter> parameters = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return parameters;
        }
        if (!node.isObject()) {
            violations.add(new Violation("/parameters", "must be an object: name → {label | value, pattern, example}"));
            return parameters;
        }
        for (String name : node.propertyNames()) {
            String at = "/parameters/" + name;
            JsonNode spec = node.get(name);
            if (!Pattern.matches("[A-Za-z_][A-Za-z0-9_]*", name)) {
                violations.add(new Violation(at, "a parameter's name is a word ([A-Za-z_][A-Za-z0-9_]*)"));
                continue;
            }
            if (!spec.isObject()) {
                violations.add(new Violation(at, "must be an object {label | value, pattern, example}"));
                continue;
            }
            String label = text(spec, "label", at, violations);
            String value = text(spec, "value", at, violations);
            String pattern = text(spec, "pattern", at, violations);
            String example = text(spec, "example", at, violations);
            if ((label == null) == (value == null)) {
                violations.add(new Violation(at, "give exactly one of label (read from the alert) or value (fixed)"));
            }
            if (label != null && !Pattern.matches("[a-zA-Z_][a-zA-Z0-9_]*", label)) {
                violations.add(new Violation(at + "/label", "a label name like service or instance"));
            }
            Runbook.Parameter parameter = new Runbook.Parameter(label, value, pattern, example);
            Pattern compiled;
            try {
                compiled = Pattern.compile(parameter.patternOrDefault());
            } catch (PatternSyntaxException e) {
                violations.add(new Violation(at + "/pattern", "not a regex: " + e.getDescription()));
                continue;
            }
            if (value != null && !compiled.matcher(value).matches()) {
                violations.add(new Violation(at + "/value", "does not match the pattern " + parameter.patternOrDefault()));
            }
            if (example != null && !compiled.matcher(example).matches()) {
                violations.add(new Violation(at + "/example", "does not match the pattern " + parameter.patternOrDefault()));
            }
            if (value == null && example == null && sample(compiled) == null) {
                violations.add(new Violation(at + "/example", "give an example value matching the pattern (the template is checked with it)"));
            }
            parameters.put(name, parameter);
        }
        return parameters;
    }

    private static String text(JsonNode spec, String field, String at, List<Violation> violations) {
        JsonNode node = spec.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            violations.add(new Violation(at + "/" + field, "must be a string"));
            return null;
        }
        return node.stringValue();
    }

    private static Runbook.Automatic automatic(JsonNode node, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return Runbook.Automatic.OFF;
        }
        if (!node.isObject()) {
            violations.add(new Violation("/automatic", "must be an object {enabled, maxRunsPerHour}"));
            return Runbook.Automatic.OFF;
        }
        boolean enabled = false;
        if (node.has("enabled")) {
            if (node.get("enabled").isBoolean()) {
                enabled = node.get("enabled").booleanValue();
            } else {
                violations.add(new Violation("/automatic/enabled", "must be true or false"));
            }
        }
        int max = 1;
        if (node.has("maxRunsPerHour")) {
            JsonNode value = node.get("maxRunsPerHour");
            if (!value.isIntegralNumber() || value.asInt() < 1 || value.asInt() > MAX_RUNS_PER_HOUR) {
                violations.add(new Violation("/automatic/maxRunsPerHour", "a whole number from 1 to " + MAX_RUNS_PER_HOUR));
            } else {
                max = value.asInt();
            }
        }
        return new Runbook.Automatic(enabled, max);
    }

    private void template(JsonNode patch, Map<String, Runbook.Parameter> parameters, List<Violation> violations) {
        if (patch.has("id")) {
            violations.add(new Violation("/patch/id", "is given to each run by GHOST; leave it out"));
        }
        Set<String> undeclared = new LinkedHashSet<>();
        RunbookTemplate.placeholders(patch, (pointer, name) -> {
            if (!parameters.containsKey(name) && undeclared.add(pointer + " " + name)) {
                violations.add(new Violation("/patch" + pointer, "${" + name + "} names no parameter; declared: "
                        + (parameters.isEmpty() ? "none" : String.join(", ", parameters.keySet()))));
            }
        });
        Map<String, String> samples = new LinkedHashMap<>();
        parameters.forEach((name, parameter) -> {
            String sample = parameter.value() != null ? parameter.value() : parameter.example() != null ? parameter.example()
                    : sample(safeCompile(parameter.patternOrDefault()));
            samples.put(name, sample == null ? "x" : sample);
        });
        ObjectNode rendered;
        try {
            ObjectNode withoutId = (ObjectNode) patch.deepCopy();
            withoutId.remove("id");
            rendered = RunbookTemplate.render(withoutId, samples, "runbook-check");
        } catch (IllegalArgumentException e) {
            violations.add(new Violation("/patch", e.getMessage()));
            return;
        }
        try {
            patches.parse(rendered);
        } catch (InvalidPatchException e) {
            for (Violation violation : e.violations()) {
                if (!violation.pointer().equals("/id")) {
                    violations.add(new Violation("/patch" + violation.pointer(), violation.message()));
                }
            }
        } catch (JacksonException e) {
            violations.add(new Violation("/patch", "unreadable: " + e.getOriginalMessage()));
        }
    }

    private static Pattern safeCompile(String pattern) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    /** A value the pattern accepts, tried from a few common shapes; null when none fits. */
    static String sample(Pattern pattern) {
        if (pattern == null) {
            return null;
        }
        for (String candidate : List.of("sample", "example-1", "x", "1", "a.b", "localhost:sample:1", "Sample")) {
            if (pattern.matcher(candidate).matches()) {
                return candidate;
            }
        }
        return null;
    }
}
