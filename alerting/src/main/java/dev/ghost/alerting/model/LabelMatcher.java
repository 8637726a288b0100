package dev.ghost.alerting.model;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One Alertmanager-style condition on a label: {@code =}, {@code !=}, {@code =~}, {@code !~}.
 * Regular expressions are anchored at both ends, as in Alertmanager; a missing label matches as
 * the empty string. Used by routes, inhibition rules, silences and {@code GET /alerts} filters.
 */
public record LabelMatcher(String name, Op op, String value, Pattern pattern) {

    public enum Op {
        EQ("="), NE("!="), RE("=~"), NRE("!~");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public boolean regex() {
            return this == RE || this == NRE;
        }

        /** The operator written {@code symbol}; IllegalArgumentException naming the allowed ones otherwise. */
        public static Op of(String symbol) {
            for (Op op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("operator must be one of =, !=, =~, !~ (was '" + symbol + "')");
        }
    }

    /** Validates and compiles; IllegalArgumentException with a readable reason when invalid. */
    public static LabelMatcher of(String name, Op op, String value) {
        if (name == null || !Labels.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("label name must match [a-zA-Z_][a-zA-Z0-9_]* (was '" + name + "')");
        }
        if (op == null) {
            throw new IllegalArgumentException("operator must be one of =, !=, =~, !~");
        }
        String text = value == null ? "" : value;
        Pattern pattern = null;
        if (op.regex()) {
            try {
                pattern = Pattern.compile("^(?:" + text + ")$");
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression '" + text + "': " + e.getDescription());
            }
        }
        return new LabelMatcher(name, op, text, pattern);
    }

    /**
     * Parses {@code name<op>value}, the value optionally in double quotes (with {@code \"} and
     * {@code \\} escapes), e.g. {@code severity=critical} or {@code service=~"runner.*"}.
     */
    public static LabelMatcher parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("matcher is empty");
        }
        String trimmed = text.trim();
        int at = 0;
        while (at < trimmed.length() && (Character.isLetterOrDigit(trimmed.charAt(at)) || trimmed.charAt(at) == '_')) {
            at++;
        }
        String name = trimmed.substring(0, at);
        String rest = trimmed.substring(at).stripLeading();
        String symbol = rest.startsWith("=~") || rest.startsWith("!~") || rest.startsWith("!=") ? rest.substring(0, 2)
                : rest.startsWith("=") ? "=" : "";
        if (symbol.isEmpty()) {
            throw new IllegalArgumentException("matcher '" + text + "' needs name, operator (=, !=, =~, !~) and value");
        }
        return of(name, Op.of(symbol), unquote(rest.substring(symbol.length()).trim()));
    }

    private static String unquote(String value) {
        if (value.length() < 2 || !value.startsWith("\"") || !value.endsWith("\"")) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                c = value.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    public boolean matches(Labels labels) {
        String actual = labels.get(name);
        return switch (op) {
            case EQ -> actual.equals(value);
            case NE -> !actual.equals(value);
            case RE -> pattern.matcher(actual).matches();
            case NRE -> !pattern.matcher(actual).matches();
        };
    }

    @Override
    public String toString() {
        return name + op.symbol + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
