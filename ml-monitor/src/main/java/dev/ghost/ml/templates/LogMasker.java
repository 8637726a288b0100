package dev.ghost.ml.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a log message into tokens and masks the parts that are variables in almost every
 * system's logs, so the parse tree only has to learn the rest. One hand-written pass over the
 * characters instead of a chain of regular expressions: masking is most of the miner's cost, and
 * a regex chain of this breadth runs several times slower.
 *
 * <p>A whitespace token is masked whole (keeping surrounding brackets and punctuation) when it
 * carries a digit (numbers, hex, IPs with ports, UUIDs, dates, times, block ids such as
 * {@code blk_-123}, versions, host names with numbers), is a URL, a file path, or a dotted name
 * with three or more parts (Java classes, domain names). A unit after a masked number stays with
 * it in one token ({@code <*> ms,}), so quantities have one shape whatever their unit.
 * {@code key=value}, {@code key:value} and {@code name.......value} (dot leaders) keep the key and
 * mask the value when the value is a variable by the same rules; a plain word as a value
 * ({@code user=root}) is left to the miner, which treats words as constants until they prove
 * variable. Month and weekday names next to a masked token are part of a date. Runs of masked
 * tokens collapse into one, so lists of any length (several IPs, several fan speeds) give one
 * template.
 */
public final class LogMasker {

    public static final String WILDCARD = "<*>";

    private static final Set<String> CALENDAR_WORDS = Set.of(
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
            "january", "february", "march", "april", "june", "july", "august", "september", "october",
            "november", "december", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday",
            "wednesday", "thursday", "friday", "saturday", "sunday", "am", "pm", "utc", "gmt", "cst", "pst", "est");

    private static final Set<String> UNITS = Set.of(
            "b", "kb", "mb", "gb", "tb", "kib", "mib", "gib", "tib", "bytes", "ns", "us", "µs", "ms", "s", "sec", "secs",
            "second", "seconds", "min", "mins", "minute", "minutes", "h", "hr", "hrs", "hour", "hours");

    private final int maxTokens;

    public LogMasker(int maxTokens) {
        this.maxTokens = maxTokens;
    }

    /** The masked tokens of {@code message}; at most {@code maxTokens}, the rest folded into one wildcard. */
    public List<String> tokens(String message) {
        List<String> tokens = new ArrayList<>(24);
        int length = message.length();
        int i = 0;
        while (i < length) {
            while (i < length && isSpace(message.charAt(i))) {
                i++;
            }
            if (i >= length) {
                break;
            }
            int start = i;
            if (isQuote(message.charAt(i)) || !keyEqualsQuote(message, i)) {
                while (i < length && !isSpace(message.charAt(i))) {
                    i++;
                }
            } else {
                i = endOfQuotedValue(message, i);
            }
            if (tokens.size() == maxTokens) {
                addMasked(tokens, WILDCARD);
                break;
            }
            if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).endsWith(WILDCARD) && isUnit(message, start, i)) {
                tokens.set(tokens.size() - 1, tokens.get(tokens.size() - 1) + ' ' + message.substring(start, i));
            } else {
                addMasked(tokens, mask(message, start, i));
            }
        }
        maskCalendarWords(tokens);
        return tokens;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\u000b';
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'';
    }

    /** {@code key="a quoted value with spaces"}: the whole quoted value is one variable. */
    private static boolean keyEqualsQuote(String s, int start) {
        int i = start;
        while (i < s.length() && isKeyChar(s.charAt(i))) {
            i++;
        }
        return i > start && i + 1 < s.length() && (s.charAt(i) == '=' || s.charAt(i) == ':') && isQuote(s.charAt(i + 1));
    }

    private static int endOfQuotedValue(String s, int start) {
        int equals = start;
        while (isKeyChar(s.charAt(equals))) {
            equals++;
        }
        char quote = s.charAt(equals + 1);
        int close = s.indexOf(quote, equals + 2);
        if (close < 0) {
            close = s.length() - 1;
        }
        int end = close + 1;
        while (end < s.length() && !isSpace(s.charAt(end))) {
            end++;
        }
        return end;
    }

    private static void addMasked(List<String> tokens, String token) {
        if (token == WILDCARD && !tokens.isEmpty() && tokens.get(tokens.size() - 1) == WILDCARD) {
            return;
        }
        tokens.add(token);
    }

    /** The token {@code s[start, end)} with its variable core replaced by {@link #WILDCARD}. */
    static String mask(String s, int start, int end) {
        if (end - start == WILDCARD.length() && s.startsWith(WILDCARD, start)) {
            return WILDCARD;
        }
        int coreStart = start;
        while (coreStart < end && isOpening(s.charAt(coreStart))) {
            coreStart++;
        }
        int coreEnd = end;
        while (coreEnd > coreStart && isClosing(s.charAt(coreEnd - 1))) {
            coreEnd--;
        }
        if (coreStart == coreEnd) {
            return s.substring(start, end);
        }
        int keyEnd = keyEnd(s, coreStart, coreEnd);
        if (keyEnd > 0 && hasDigit(s, coreStart, keyEnd)) {
            return wrap(s, start, coreStart, WILDCARD, coreEnd, end);
        }
        if (keyEnd > 0) {
            char separator = s.charAt(keyEnd);
            boolean hostAndPort = allDigits(s, keyEnd + 1, coreEnd)
                    && (coreEnd - keyEnd <= 6 || s.lastIndexOf('.', keyEnd) >= coreStart);
            if (separator == ':' && hostAndPort) {
                return wrap(s, start, coreStart, WILDCARD, coreEnd, end);
            }
            int valueStart = keyEnd + 1;
            while (separator == '.' && s.charAt(valueStart) == '.') {
                valueStart++;
            }
            boolean quoted = separator == '=' && end > coreEnd && isQuote(s.charAt(valueStart));
            if (quoted || isVariable(s, valueStart, coreEnd)) {
                return wrap(s, start, valueStart, WILDCARD, coreEnd, end);
            }
            if (separator != ':') {
                return s.substring(start, end);
            }
        }
        int bracket = namedBracket(s, coreStart, coreEnd);
        if (bracket > 0 && isVariable(s, bracket + 1, coreEnd)) {
            return wrap(s, start, bracket + 1, WILDCARD, coreEnd, end);
        }
        if (isVariable(s, coreStart, coreEnd)) {
            return wrap(s, start, coreStart, WILDCARD, coreEnd, end);
        }
        return s.substring(start, end);
    }

    /** Index of the bracket in {@code name[...} or {@code name(...}, such as {@code sshd[4242]}; -1 if none. */
    private static int namedBracket(String s, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if ((c == '[' || c == '(') && i > start) {
                return i;
            }
            if (!(Character.isLetter(c) || c == '_' || c == '-' || c == '.')) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean contains(String s, String part, int start, int end) {
        int at = s.indexOf(part, start);
        return at >= 0 && at + part.length() <= end;
    }

    private static boolean allDigits(String s, int start, int end) {
        for (int i = start; i < end; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return start < end;
    }

    private static boolean hasDigit(String s, int start, int end) {
        for (int i = start; i < end; i++) {
            if (s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code s[start, end)} is a unit of measure (sizes, durations), brackets and punctuation aside. */
    private static boolean isUnit(String s, int start, int end) {
        while (start < end && isOpening(s.charAt(start))) {
            start++;
        }
        while (end > start && isClosing(s.charAt(end - 1))) {
            end--;
        }
        return end - start <= 7 && end > start && UNITS.contains(s.substring(start, end).toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Whether a token is a masked quantity: a number with its unit, which the masker keeps together
     * in one token ({@code (<*> KB)}, {@code <*> ms,}) so that "lifetime 00:01" and "lifetime <1 sec",
     * "1.2 KB" and "3 MB" have the same shape.
     */
    static boolean isQuantity(String token) {
        int space = token.lastIndexOf(' ');
        int at = token.indexOf(WILDCARD);
        if (space < 0 || at < 0 || at + WILDCARD.length() != space || !isUnit(token, space + 1, token.length())) {
            return false;
        }
        for (int i = 0; i < at; i++) {
            if (!isOpening(token.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a masked token is a wildcard with nothing but punctuation around it, such as {@code (<*>),}. */
    public static boolean isWildcardLike(String token) {
        if (token == WILDCARD) {
            return true;
        }
        int at = token.indexOf(WILDCARD);
        if (at < 0) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if ((i < at || i >= at + 3) && Character.isLetterOrDigit(token.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String wrap(String s, int start, int prefixEnd, String middle, int suffixStart, int end) {
        if (prefixEnd == start && suffixStart == end) {
            return WILDCARD;
        }
        return new StringBuilder(end - start + 3).append(s, start, prefixEnd).append(middle)
                .append(s, suffixStart, end).toString();
    }

    private static boolean isOpening(char c) {
        return c == '(' || c == '[' || c == '{' || c == '<' || c == '"' || c == '\'' || c == '#' || c == '@';
    }

    private static boolean isClosing(char c) {
        return c == ')' || c == ']' || c == '}' || c == '>' || c == '"' || c == '\'' || c == ',' || c == ';'
                || c == ':' || c == '.' || c == '!' || c == '?';
    }

    private static boolean isKeyChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9';
    }

    /**
     * Index of the {@code =}, {@code :} or dot leader ({@code ..}, as in {@code threshold.....0x3})
     * that ends a {@code key} starting at {@code start}, or -1. A key starts with a letter;
     * {@code ://} (URLs) and {@code C:\} (Windows paths) are not keys.
     */
    private static int keyEnd(String s, int start, int end) {
        char first = s.charAt(start);
        if (!(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z' || first == '_')) {
            return -1;
        }
        for (int i = start + 1; i < end; i++) {
            char c = s.charAt(i);
            if (c == '=' || c == '.' && i + 2 < end && s.charAt(i + 1) == '.') {
                return i;
            }
            if (c == ':') {
                boolean url = i + 2 < end && s.charAt(i + 1) == '/' && s.charAt(i + 2) == '/';
                boolean drive = i == start + 1 && i + 1 < end && s.charAt(i + 1) == '\\';
                return url || drive || i + 1 == end ? -1 : i;
            }
            if (!isKeyChar(c)) {
                return -1;
            }
        }
        return -1;
    }

    /** Whether the text {@code s[start, end)} is a variable: has a digit, or is a URL, path or long dotted name. */
    private static boolean isVariable(String s, int start, int end) {
        if (start >= end) {
            return false;
        }
        int dots = 0;
        int slashes = 0;
        boolean letters = false;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
            if (c == '.') {
                dots++;
            } else if (c == '/' || c == '\\') {
                slashes++;
            } else if (c == '<' && s.startsWith(WILDCARD, i)) {
                return true;
            } else if (Character.isLetter(c)) {
                letters = true;
            }
        }
        if (!letters) {
            return false;
        }
        char first = s.charAt(start);
        boolean path = (first == '/' || first == '~' || first == '\\') && slashes >= 2
                || end - start > 2 && s.charAt(start + 1) == ':' && s.charAt(start + 2) == '\\'
                || slashes >= 3;
        return path || dots >= 2 && !contains(s, "..", start, end) || contains(s, "/.", start, end)
                || contains(s, "://", start, end);
    }

    private static void maskCalendarWords(List<String> tokens) {
        boolean changed = false;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token.length() < 2 || token.length() > 10 || !Character.isLetter(token.charAt(0))) {
                continue;
            }
            boolean before = i > 0 && tokens.get(i - 1) == WILDCARD;
            boolean after = i + 1 < tokens.size() && (tokens.get(i + 1) == WILDCARD
                    || i + 2 < tokens.size() && tokens.get(i + 2) == WILDCARD && isCalendarWord(tokens.get(i + 1)));
            if ((before || after) && isCalendarWord(token)) {
                {
                    tokens.set(i, WILDCARD);
                    changed = true;
                }
            }
        }
        if (changed) {
            for (int i = tokens.size() - 1; i > 0; i--) {
                if (tokens.get(i) == WILDCARD && tokens.get(i - 1) == WILDCARD) {
                    tokens.remove(i);
                }
            }
        }
    }

    /** Month, weekday and zone words, bucketed by length, matched without allocating. */
    private static final String[][] CALENDAR_BY_LENGTH = new String[11][];

    static {
        for (int length = 0; length < CALENDAR_BY_LENGTH.length; length++) {
            final int l = length;
            CALENDAR_BY_LENGTH[length] = CALENDAR_WORDS.stream().filter(w -> w.length() == l).toArray(String[]::new);
        }
    }

    private static boolean isCalendarWord(String token) {
        int start = 0;
        int end = token.length();
        while (start < end && isOpening(token.charAt(start))) {
            start++;
        }
        while (end > start && isClosing(token.charAt(end - 1))) {
            end--;
        }
        int length = end - start;
        if (length < 2 || length >= CALENDAR_BY_LENGTH.length) {
            return false;
        }
        for (String word : CALENDAR_BY_LENGTH[length]) {
            if (token.regionMatches(true, start, word, 0, length)) {
                return true;
            }
        }
        return false;
    }

}
