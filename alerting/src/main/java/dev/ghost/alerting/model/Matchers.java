package dev.ghost.alerting.model;

import java.util.List;

/** A conjunction of label matchers: all must match. The empty list matches everything. */
public record Matchers(List<LabelMatcher> all) {

    public static final Matchers ANY = new Matchers(List.of());

    public Matchers {
        all = List.copyOf(all);
    }

    public static Matchers parse(List<String> texts) {
        return new Matchers(texts == null ? List.of() : texts.stream().map(LabelMatcher::parse).toList());
    }

    public boolean matches(Labels labels) {
        for (LabelMatcher matcher : all) {
            if (!matcher.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return all.toString();
    }
}
