package dev.ghost.ml.templates;

import java.util.List;

/**
 * One template the miner learned: its id (stable for the miner's life), its tokens (variables as
 * {@code <*>}), and how often and when it was seen. Mutable, owned by its {@link TemplateMiner}.
 */
public final class LogCluster {

    final int id;
    final String[] tokens;
    long count;
    long firstSeen;
    long lastSeen;
    String text;
    final List<TemplateMiner.Node> leaves = new java.util.ArrayList<>(1);

    LogCluster(int id, String[] tokens, long now) {
        this.id = id;
        this.tokens = tokens;
        this.firstSeen = now;
        this.lastSeen = now;
    }

    public int id() {
        return id;
    }

    public long count() {
        return count;
    }

    public long firstSeen() {
        return firstSeen;
    }

    public long lastSeen() {
        return lastSeen;
    }

    public List<String> tokens() {
        return List.of(tokens);
    }

    /** The template as text, tokens joined by single spaces. */
    public String template() {
        if (text == null) {
            text = String.join(" ", tokens);
        }
        return text;
    }
}
