package dev.ghost.common.slack;

import java.net.URI;
import java.util.Locale;

/**
 * Text from alerts and probes (summaries, label values, commands, output) made inert for Slack: Slack
 * parses {@code <…>} as mentions ({@code <!channel>}, {@code <@U…>}) and links everywhere text
 * is mrkdwn, including the top-level text of a message; escaping {@code & < >} is the one escape
 * Slack defines (and decodes for display in plain_text too, where it is applied as well). Code spans get no backtick to close them early; links only http(s) targets with
 * nothing in them that could end the link.
 */
public final class SlackText {

    private SlackText() {
    }

    /** Any text shown as mrkdwn or as a message's top-level text. */
    public static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Inline code: escaped, on one line, and a look-alike for the backtick that would end the span. */
    public static String code(String text) {
        return "`" + escape(text).replace('`', 'ˋ').replace('\n', ' ') + "`";
    }

    /** A link, or the label alone (escaped) when the target is not an http(s) URL. */
    public static String link(String url, String label) {
        String shown = escape(label).replace('|', '¦');
        if (url == null || !isWeb(url)) {
            return shown;
        }
        String target = url.strip().replace("|", "%7C").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
                .replace("\"", "%22");
        return "<" + target + "|" + shown + ">";
    }

    private static boolean isWeb(String url) {
        try {
            String scheme = URI.create(url.strip().replace(" ", "%20").replace("|", "%7C").replace("<", "%3C").replace(">", "%3E")
                    .replace("\"", "%22")).getScheme();
            return scheme != null && (scheme.toLowerCase(Locale.ROOT).equals("http") || scheme.toLowerCase(Locale.ROOT).equals("https"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
