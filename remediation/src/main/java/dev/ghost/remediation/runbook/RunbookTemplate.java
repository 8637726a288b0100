package dev.ghost.remediation.runbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Turns a runbook's patch template into a patch for one alert. Placeholders ({@code ${name}}) are
 * replaced in string values only (never in keys), in one pass (a value is never expanded again),
 * escaped for where they land: as one single-quoted word in shell commands, quoted literally in a
 * regex {@code pattern}, refused in a {@code replacement} when they hold {@code $} or {@code \}; as
 * they are elsewhere (paths, contents, the target), where the patch rules checked afterwards apply.
 * Values were already held to their parameter's pattern, so an alert cannot make a runbook run text
 * of its choosing.
 */
public final class RunbookTemplate {

    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern SHELL = Pattern.compile("/(preCommit|postMutationBuild|validate)/shell/\\d+");
    private static final Pattern REGEX = Pattern.compile("/mutations/\\d+/pattern");
    private static final Pattern REPLACEMENT = Pattern.compile("/mutations/\\d+/replacement");

    private RunbookTemplate() {
    }

    /** The patch for {@code values} with the given id; IllegalArgumentException when a value cannot go where it is used. */
    public static ObjectNode render(JsonNode template, Map<String, String> values, String patchId) {
        ObjectNode patch = (ObjectNode) template.deepCopy();
        List<String> problems = new ArrayList<>();
        JsonNode rendered = walk(patch, "", (pointer, name) -> {
        }, values, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        ObjectNode out = (ObjectNode) rendered;
        out.put("id", patchId);
        return out;
    }

    /** Every placeholder of the template, with the JSON pointer of the string holding it. */
    public static void placeholders(JsonNode template, BiConsumer<String, String> each) {
        walk(template.deepCopy(), "", each, null, new ArrayList<>());
    }

    private static JsonNode walk(JsonNode node, String pointer, BiConsumer<String, String> seen, Map<String, String> values,
            List<String> problems) {
        if (node instanceof ObjectNode object) {
            for (String field : Set.copyOf(object.propertyNames())) {
                object.set(field, walk(object.get(field), pointer + "/" + escape(field), seen, values, problems));
            }
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, walk(array.get(i), pointer + "/" + i, seen, values, problems));
            }
            return array;
        }
        if (node != null && node.isString()) {
            String text = node.stringValue();
            Matcher matcher = PLACEHOLDER.matcher(text);
            StringBuilder out = new StringBuilder();
            boolean any = false;
            while (matcher.find()) {
                any = true;
                String name = matcher.group(1);
                seen.accept(pointer, name);
                String value = values == null ? null : values.get(name);
                String replacement = value == null ? matcher.group() : escapeFor(pointer, name, value, problems);
                matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            if (!any) {
                return node;
            }
            matcher.appendTail(out);
            return StringNode.valueOf(out.toString());
        }
        return node;
    }

    private static String escapeFor(String pointer, String name, String value, List<String> problems) {
        if (SHELL.matcher(pointer).matches()) {
            return shellWord(value);
        }
        if (REGEX.matcher(pointer).matches()) {
            return regexLiteral(value);
        }
        if (REPLACEMENT.matcher(pointer).matches() && (value.contains("$") || value.contains("\\"))) {
            problems.add(pointer + ": parameter " + name + " holds $ or \\, which a replacement would read as a group reference");
            return value;
        }
        return value;
    }

    /** One POSIX shell word, whatever the text: single quotes, and each single quote as '\''. */
    public static String shellWord(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** The text as a literal in an RE2 (and Java) regex: every character that is not a letter or digit escaped. */
    public static String regexLiteral(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c > 127) {
                out.appendCodePoint(c);
            } else {
                out.append('\\').appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static String escape(String field) {
        return field.replace("~", "~0").replace("/", "~1");
    }
}
