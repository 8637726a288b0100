package dev.ghost.common.patch;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.github.difflib.unifieddiff.UnifiedDiff;
import com.github.difflib.unifieddiff.UnifiedDiffFile;
import com.github.difflib.unifieddiff.UnifiedDiffReader;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads patch JSON (format v1) and checks every rule at once, so a client learns of all its
 * mistakes in one round trip. Works on the JSON tree rather than data binding: binding stops at
 * the first type error and loses the location of the rest.
 */
public final class PatchParser {

    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_TIMEOUT_SECONDS = 24 * 60 * 60;

    /** Linux's limits (PATH_MAX less the workspace's own path, NAME_MAX), checked here rather than failing at write time. */
    private static final int MAX_PATH_BYTES = 3072;
    private static final int MAX_NAME_BYTES = 255;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._()\\-]{1," + MAX_ID_LENGTH + "}");
    private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9._\\-]{1,64}");
    private static final Set<String> KNOWN_FIELDS = Set.of("id", "description", "target", "mutations",
            "preCommit", "postMutationBuild", "validate", "timeoutSeconds", "rollbackOnFailure");
    private static final Set<String> MUTATION_FIELDS = Set.of("path", "contents", "pattern", "replacement", "delete", "diff");

    private final JsonMapper mapper = JsonMapper.builder().build();

    /** Parses and validates; throws {@link InvalidPatchException} listing every violation. */
    public ParsedPatch parse(byte[] json) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidPatchException(List.of(new Violation("", "body is not valid JSON: " + e.getOriginalMessage())));
        }
        return parse(root);
    }

    public ParsedPatch parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public ParsedPatch parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidPatchException(List.of(new Violation("", "a patch must be a JSON object")));
        }
        Check check = new Check();
        List<String> warnings = new ArrayList<>();
        for (String name : root.propertyNames()) {
            if (!KNOWN_FIELDS.contains(name)) {
                warnings.add("unknown field '" + name + "' ignored");
            }
        }

        String id = check.requiredString(root, "id");
        if (id != null && !ID.matcher(id).matches()) {
            check.violation("/id", "must be 1-" + MAX_ID_LENGTH + " characters of A-Z a-z 0-9 . _ ( ) -");
        }
        String description = check.optionalString(root, "description", null);
        String target = check.optionalString(root, "target", Patch.DEFAULT_TARGET);
        if (target != null && !TARGET.matcher(target).matches()) {
            check.violation("/target", "must be a workspace name: 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        List<Mutation> mutations = mutations(root.get("mutations"), check, warnings);
        CommandPhase preCommit = phase(root, "preCommit", check, warnings);
        CommandPhase build = phase(root, "postMutationBuild", check, warnings);
        CommandPhase validate = phase(root, "validate", check, warnings);
        int timeout = timeoutSeconds(root.get("timeoutSeconds"), check);
        boolean rollback = true;
        JsonNode rollbackNode = root.get("rollbackOnFailure");
        if (rollbackNode != null && !rollbackNode.isNull()) {
            if (rollbackNode.isBoolean()) {
                rollback = rollbackNode.booleanValue();
            } else {
                check.violation("/rollbackOnFailure", "must be true or false");
            }
        }
        check.throwIfAny();

        Patch patch = new Patch(id, description, target, mutations, preCommit, build, validate, timeout, rollback);
        ObjectNode known = ((ObjectNode) root).deepCopy();
        known.retain(KNOWN_FIELDS);
        String canonical = CanonicalJson.write(known);
        return new ParsedPatch(patch, CanonicalJson.sha256Hex(canonical), canonical, warnings);
    }

    private List<Mutation> mutations(JsonNode node, Check check, List<String> warnings) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            check.violation("/mutations", "must be an array of mutations");
            return List.of();
        }
        List<Mutation> mutations = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "/mutations/" + i;
            JsonNode m = node.get(i);
            if (!m.isObject()) {
                check.violation(at, "must be an object");
                continue;
            }
            for (String name : m.propertyNames()) {
                if (!MUTATION_FIELDS.contains(name)) {
                    warnings.add("unknown field '" + name + "' in mutation " + i + " ignored");
                }
            }
            Mutation mutation = mutation(m, at, check);
            if (mutation != null) {
                mutations.add(mutation);
            }
        }
        return mutations;
    }

    private Mutation mutation(JsonNode m, String at, Check check) {
        List<String> kinds = new ArrayList<>();
        if (m.has("contents")) kinds.add("contents");
        if (m.has("pattern")) kinds.add("pattern");
        if (m.has("delete")) kinds.add("delete");
        if (m.has("diff")) kinds.add("diff");
        if (kinds.size() != 1) {
            check.violation(at, kinds.isEmpty()
                    ? "must have exactly one of contents, pattern (with replacement), delete or diff"
                    : "mixes " + String.join(" and ", kinds) + "; a mutation does one thing");
            return null;
        }
        String kind = kinds.get(0);
        if (kind.equals("diff")) {
            if (m.has("path")) {
                check.violation(at + "/path", "a diff names its files in its own headers; drop path");
            }
            String diff = check.requiredString(m, "diff", at);
            return diff == null ? null : diff(diff, at + "/diff", check);
        }
        String path = check.requiredString(m, "path", at);
        if (path != null) {
            checkRelativePath(path, at + "/path", check);
        }
        switch (kind) {
            case "contents" -> {
                String contents = check.requiredString(m, "contents", at);
                return path == null || contents == null ? null : new Mutation.WriteFile(path, contents);
            }
            case "pattern" -> {
                String pattern = check.requiredString(m, "pattern", at);
                if (pattern != null) {
                    try {
                        com.google.re2j.Pattern.compile(pattern);
                    } catch (com.google.re2j.PatternSyntaxException e) {
                        check.violation(at + "/pattern", "is not a valid RE2 regex (no backreferences or lookaround): "
                                + e.getDescription() + " at '" + e.getPattern() + "'");
                        pattern = null;
                    }
                }
                String replacement = check.requiredString(m, "replacement", at);
                return path == null || pattern == null || replacement == null
                        ? null : new Mutation.RegexReplace(path, pattern, replacement);
            }
            default -> {
                JsonNode delete = m.get("delete");
                if (!delete.isBoolean() || !delete.booleanValue()) {
                    check.violation(at + "/delete", "must be true");
                    return null;
                }
                return path == null ? null : new Mutation.DeleteFile(path);
            }
        }
    }

    private Mutation diff(String text, String at, Check check) {
        UnifiedDiff parsed;
        try {
            parsed = UnifiedDiffReader.parseUnifiedDiff(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            check.violation(at, "is not a unified diff: " + e.getMessage());
            return null;
        }
        if (parsed.getFiles().isEmpty()) {
            check.violation(at, "is not a unified diff: no '--- a/file' / '+++ b/file' section found");
            return null;
        }
        List<Mutation.FileDiff> files = new ArrayList<>();
        boolean ok = true;
        for (UnifiedDiffFile file : parsed.getFiles()) {
            String oldPath = diffPath(file.getFromFile());
            String newPath = diffPath(file.getToFile());
            if (oldPath == null && newPath == null) {
                check.violation(at, "has a section without file names");
                ok = false;
                continue;
            }
            Mutation.FileDiff fileDiff = new Mutation.FileDiff(oldPath, newPath, file.getPatch());
            for (String path : fileDiff.touchedPaths()) {
                ok &= checkRelativePath(path, at, check);
            }
            files.add(fileDiff);
        }
        return ok ? new Mutation.UnifiedDiff(text, files) : null;
    }

    /** {@code git diff} writes {@code a/x} and {@code b/x}, and {@code /dev/null} for a missing side. */
    private static String diffPath(String name) {
        if (name == null || name.isBlank() || name.equals("/dev/null")) {
            return null;
        }
        String path = name.strip();
        if (path.startsWith("a/") || path.startsWith("b/")) {
            path = path.substring(2);
        }
        return path;
    }

    /** Lexical checks only; the runner re-checks against the real file system (symlinks). */
    private static boolean checkRelativePath(String path, String at, Check check) {
        if (path.isBlank()) {
            check.violation(at, "must not be blank");
            return false;
        }
        if (path.indexOf('\0') >= 0) {
            check.violation(at, "must not contain NUL characters");
            return false;
        }
        if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
            check.violation(at, "must be relative to the workspace root, not absolute: '" + path + "'");
            return false;
        }
        Path normalized;
        try {
            normalized = Path.of(path).normalize();
        } catch (InvalidPathException e) {
            check.violation(at, "is not a valid path: " + e.getReason());
            return false;
        }
        if (normalized.toString().isEmpty() || normalized.startsWith("..")) {
            check.violation(at, "escapes the workspace: '" + path + "'");
            return false;
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            check.violation(at, "is longer than " + MAX_PATH_BYTES + " bytes");
            return false;
        }
        for (Path name : normalized) {
            if (name.toString().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                check.violation(at, "has a name longer than " + MAX_NAME_BYTES + " bytes: '" + name + "'");
                return false;
            }
        }
        return true;
    }

    private static CommandPhase phase(JsonNode root, String name, Check check, List<String> warnings) {
        JsonNode node = root.get(name);
        String at = "/" + name;
        if (node == null || node.isNull()) {
            return CommandPhase.NONE;
        }
        if (!node.isObject()) {
            check.violation(at, "must be an object like {\"shell\": [\"command\"]}");
            return CommandPhase.NONE;
        }
        for (String field : node.propertyNames()) {
            if (!field.equals("shell")) {
                warnings.add("unknown field '" + field + "' in " + name + " ignored");
            }
        }
        JsonNode shell = node.get("shell");
        if (shell == null || shell.isNull()) {
            return CommandPhase.NONE;
        }
        if (!shell.isArray()) {
            check.violation(at + "/shell", "must be an array of command strings");
            return CommandPhase.NONE;
        }
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < shell.size(); i++) {
            JsonNode command = shell.get(i);
            if (!command.isString()) {
                check.violation(at + "/shell/" + i, "must be a string");
            } else if (command.stringValue().isBlank()) {
                check.violation(at + "/shell/" + i, "must not be blank");
            } else {
                commands.add(command.stringValue());
            }
        }
        return new CommandPhase(commands);
    }

    private static int timeoutSeconds(JsonNode node, Check check) {
        if (node == null || node.isNull()) {
            return Patch.DEFAULT_TIMEOUT_SECONDS;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()
                || node.intValue() < 1 || node.intValue() > MAX_TIMEOUT_SECONDS) {
            check.violation("/timeoutSeconds", "must be a whole number of seconds from 1 to " + MAX_TIMEOUT_SECONDS);
            return Patch.DEFAULT_TIMEOUT_SECONDS;
        }
        return node.intValue();
    }

    /** Collects violations instead of failing fast. */
    private static final class Check {
        private final List<Violation> violations = new ArrayList<>();

        void violation(String pointer, String message) {
            violations.add(new Violation(pointer, message));
        }

        String requiredString(JsonNode parent, String field) {
            return requiredString(parent, field, "");
        }

        String requiredString(JsonNode parent, String field, String at) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                violation(at + "/" + field, "is required");
                return null;
            }
            if (!node.isString()) {
                violation(at + "/" + field, "must be a string");
                return null;
            }
            return node.stringValue();
        }

        String optionalString(JsonNode parent, String field, String fallback) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return fallback;
            }
            if (!node.isString()) {
                violation("/" + field, "must be a string");
                return fallback;
            }
            return node.stringValue();
        }

        void throwIfAny() {
            if (!violations.isEmpty()) {
                throw new InvalidPatchException(violations);
            }
        }
    }
}
