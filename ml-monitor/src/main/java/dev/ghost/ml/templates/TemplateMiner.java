package dev.ghost.ml.templates;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Online log template mining in the style of Drain (He et al., ICWS 2017): a message is masked
 * ({@link LogMasker}), routed by its token count and its first {@code prefixDepth} tokens (masked
 * ones share a wildcard branch) down a fixed-depth tree, and joins the most similar template in
 * that leaf when enough of the template's constant tokens match; positions where two variables
 * differ in shape become wildcards.
 *
 * <p>Beyond plain Drain: the similarity only counts positions where a constant is at stake (two
 * variables prove nothing), so mostly-variable templates neither swallow everything nor split on
 * every line; a template that becomes identical to a sibling is merged into it.
 *
 * <p>Words are constants until proven otherwise. Two messages that differ in a plain word
 * ("written as text" / "written as binary", "moved from PENDING" / "moved from ACTIVE",
 * "started by client updater." / "client scheduler.") are different events however similar the
 * rest, because a variable that happens to hold a word is far rarer than an event named by one.
 * A position becomes a variable when it has proven to be one: when enough templates are the same
 * but for different words at that one position (user, program or host names; how many depends on
 * how many other constants the message has), they are merged into one template with a wildcard
 * there, at any position, including the routing ones, and every older template the wider one
 * covers is folded into it; a leaf crowded with templates that differ only in words merges them
 * too. Masked variables of different shapes ({@code (<*>)} and
 * {@code <*>,}, {@code <*> KB} and {@code <*> MB}) still generalise at once, as in Drain. Since
 * lines are reported under their template's final text, a merge regroups the earlier lines too.
 *
 * <p>Memory is bounded: children per node ({@code maxChildren}) and templates
 * ({@code maxClusters}, least recently used forgotten). Not thread-safe; callers serialize access.
 */
public final class TemplateMiner {

    /** Fewest different words that prove a position variable ("Failed" and "Accepted" are two events). */
    static final int VARIABLE_VALUES = 3;
    /** Different words a position must take when the message has one other constant. */
    static final int EVENT_WORD_VALUES = 40;
    /** Templates in one leaf differing only in words that show the words vary freely there. */
    static final int CROWD = 20;
    /** Messages with this few constants may differ in half of them. */
    static final int SHORT = 4;

    private final MinerSettings settings;
    private final LogMasker masker;
    private final Map<Integer, Node> byLength = new HashMap<>();
    private final LinkedHashMap<Integer, LogCluster> clusters = new LinkedHashMap<>(256, 0.75f, true);
    private final Map<Integer, Integer> mergedInto;
    private int nextId = 1;

    public TemplateMiner(MinerSettings settings) {
        this.settings = settings;
        this.masker = new LogMasker(settings.maxTokens());
        this.mergedInto = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Integer> eldest) {
                return size() > settings.maxClusters();
            }
        };
    }

    public TemplateMiner() {
        this(MinerSettings.DEFAULT);
    }

    /** What happened to one message: its template, and whether that template is new or changed. */
    public record Match(LogCluster cluster, boolean created, boolean changed) {
    }

    /** Assigns {@code message} to a template, learning as it goes; {@code now} is in epoch milliseconds. */
    public Match add(String message, long now) {
        String[] tokens = masker.tokens(message).toArray(String[]::new);
        Route route = route(tokens, true);
        boolean[] variable = variableFlags(tokens);
        LogCluster best = bestMatch(route.leaf().clusters, tokens, variable);
        boolean created = false;
        boolean widened = false;
        if (best == null) {
            Joined joined = variablePosition(route, tokens, variable, now);
            best = joined == null ? null : joined.cluster;
            widened = joined != null && joined.widened;
        }
        if (best == null) {
            best = new LogCluster(nextId++, tokens, now);
            attach(best, route.leaf());
            absorbCovered(best, route.nodes[0], route.keys.length);
            created = true;
        }
        boolean changed = !created && generalize(best, tokens) || widened;
        if (!created) {
            clusters.get(best.id);
        }
        best.count++;
        best.lastSeen = Math.max(best.lastSeen, now);
        if (changed) {
            best = mergeTwins(best, route.leaf());
        }
        return new Match(best, created, changed);
    }

    /** The template a message would get now, without learning from it; null when none fits. */
    public LogCluster match(String message) {
        String[] tokens = masker.tokens(message).toArray(String[]::new);
        Route route = route(tokens, false);
        return route == null ? null : bestMatch(route.leaf().clusters, tokens, variableFlags(tokens));
    }

    /** Re-creates a template remembered from an earlier run, under its old id. */
    public LogCluster restore(int id, String template, long count, long firstSeen, long lastSeen) {
        String[] tokens = masker.tokens(template).toArray(String[]::new);
        LogCluster cluster = new LogCluster(id, tokens, firstSeen);
        cluster.count = count;
        cluster.lastSeen = lastSeen;
        attach(cluster, route(tokens, true).leaf());
        nextId = Math.max(nextId, id + 1);
        return cluster;
    }

    /** The template with this id, following merges; null when forgotten. */
    public LogCluster cluster(int id) {
        Integer current = id;
        for (int hops = 0; hops < 64 && mergedInto.containsKey(current); hops++) {
            current = mergedInto.get(current);
        }
        return clusters.get(current);
    }

    public List<LogCluster> clusters() {
        return new ArrayList<>(clusters.values());
    }

    public int size() {
        return clusters.size();
    }

    private void attach(LogCluster cluster, Node leaf) {
        cluster.leaves.add(leaf);
        leaf.clusters.add(cluster);
        clusters.put(cluster.id, cluster);
        if (clusters.size() > settings.maxClusters()) {
            Iterator<LogCluster> eldest = clusters.values().iterator();
            LogCluster evicted = eldest.next();
            eldest.remove();
            detach(evicted);
        }
    }

    private static void detach(LogCluster cluster) {
        for (Node leaf : cluster.leaves) {
            leaf.clusters.remove(cluster);
        }
        cluster.leaves.clear();
    }

    /** Where a message goes: the nodes from its length node down to its leaf, and the key taken at each level. */
    private record Route(Node[] nodes, String[] keys) {

        Node leaf() {
            return nodes[nodes.length - 1];
        }

        /** The leaf reached by taking {@code key} instead of this route's key at {@code level}; null when absent. */
        Node leafWith(int level, String key, boolean create) {
            Node node = nodes[level];
            for (int l = level; l < keys.length && node != null; l++) {
                String k = l == level ? key : keys[l];
                node = create ? node.children.computeIfAbsent(k, x -> new Node()) : node.children.get(k);
            }
            return node;
        }
    }

    private Route route(String[] tokens, boolean create) {
        Node node = byLength.get(tokens.length);
        if (node == null) {
            if (!create) {
                return null;
            }
            node = new Node();
            byLength.put(tokens.length, node);
        }
        int depth = Math.min(settings.prefixDepth(), tokens.length);
        Node[] nodes = new Node[depth + 1];
        String[] keys = new String[depth];
        nodes[0] = node;
        for (int level = 0; level < depth; level++) {
            String key = tokens[level].contains(LogMasker.WILDCARD) ? LogMasker.WILDCARD : tokens[level];
            Node child = node.children.get(key);
            if (child == null) {
                if (!create) {
                    key = LogMasker.WILDCARD;
                    child = node.children.get(key);
                    if (child == null) {
                        return null;
                    }
                } else if (node.children.size() + 1 >= settings.maxChildren()) {
                    key = LogMasker.WILDCARD;
                    child = node.children.computeIfAbsent(key, k -> new Node());
                } else {
                    child = new Node();
                    node.children.put(key, child);
                }
            }
            keys[level] = key;
            node = child;
            nodes[level + 1] = node;
        }
        return new Route(nodes, keys);
    }

    /** The template a message joined outside its own leaf, and whether joining it widened it. */
    private record Joined(LogCluster cluster, boolean widened) {
    }

    /**
     * Looks for templates that are the message but for another word at one position. A template
     * with a wildcard there takes the message; with enough different words there, the position is
     * a variable and they become one template with a wildcard there.
     */
    private Joined variablePosition(Route route, String[] tokens, boolean[] variable, long now) {
        Map<Integer, List<LogCluster>> byPosition = new HashMap<>();
        Map<LogCluster, Node> leafOf = new HashMap<>();
        for (int position = 0; position < tokens.length; position++) {
            if (variable[position] || tokens[position].contains(LogMasker.WILDCARD)) {
                continue;
            }
            List<Node> leaves = new ArrayList<>(2);
            if (position < route.keys.length) {
                for (Map.Entry<String, Node> alternative : route.nodes[position].children.entrySet()) {
                    if (!alternative.getKey().equals(route.keys[position])) {
                        Node leaf = route.leafWith(position, alternative.getKey(), false);
                        if (leaf != null) {
                            leaves.add(leaf);
                        }
                    }
                }
            } else {
                leaves.add(route.leaf());
            }
            for (Node leaf : leaves) {
                for (LogCluster candidate : leaf.clusters) {
                    if (differsOnlyAt(candidate.tokens, tokens, variable, position)) {
                        if (candidate.tokens[position] == LogMasker.WILDCARD) {
                            link(candidate, route.leaf());
                            return new Joined(candidate, false);
                        }
                        byPosition.computeIfAbsent(position, p -> new ArrayList<>()).add(candidate);
                        leafOf.put(candidate, leaf);
                    }
                }
            }
        }
        for (Map.Entry<Integer, List<LogCluster>> entry : byPosition.entrySet()) {
            int position = entry.getKey();
            List<LogCluster> candidates = entry.getValue();
            if (candidates.size() + 1 < valuesToProveVariable(tokens, variable, position)) {
                continue;
            }
            LogCluster keep = candidates.stream().min((a, b) -> Integer.compare(a.id, b.id)).orElseThrow();
            keep.tokens[position] = LogMasker.WILDCARD;
            keep.text = null;
            for (LogCluster other : candidates) {
                if (other != keep) {
                    absorb(keep, other);
                }
                link(keep, leafOf.get(other));
            }
            link(keep, route.leaf());
            if (position < route.keys.length) {
                link(keep, route.leafWith(position, LogMasker.WILDCARD, true));
            }
            absorbCovered(keep, route.nodes[0], route.keys.length);
            keep.lastSeen = Math.max(keep.lastSeen, now);
            return new Joined(keep, true);
        }
        return crowdedLeaf(route.leaf(), tokens, variable, now);
    }

    /**
     * A leaf crowded with {@link #CROWD} templates that differ from the message only in words
     * (several at a time: a user and a host, two free-text names) is evidence that words vary
     * freely there: they become one template, wildcards wherever they differ. Without this, lines
     * with two or more word variables would never meet a sibling that differs in one word only.
     */
    private Joined crowdedLeaf(Node leaf, String[] tokens, boolean[] variable, long now) {
        if (leaf.clusters.size() + 1 < CROWD) {
            return null;
        }
        List<LogCluster> alike = new ArrayList<>();
        for (LogCluster candidate : leaf.clusters) {
            if (differsOnlyInWords(candidate.tokens, tokens, variable)) {
                alike.add(candidate);
            }
        }
        if (alike.size() + 1 < CROWD) {
            return null;
        }
        LogCluster keep = alike.stream().min((a, b) -> Integer.compare(a.id, b.id)).orElseThrow();
        for (LogCluster other : alike) {
            if (other != keep) {
                absorb(keep, other);
            }
        }
        generalize(keep, tokens);
        keep.lastSeen = Math.max(keep.lastSeen, now);
        return new Joined(keep, true);
    }

    /** Whether {@code template} takes the message but for plain words, and shares a constant with it. */
    private static boolean differsOnlyInWords(String[] template, String[] tokens, boolean[] variable) {
        boolean shared = false;
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            boolean words = !t.contains(LogMasker.WILDCARD) && !tokens[i].contains(LogMasker.WILDCARD);
            if (!accepts(t, tokens[i]) && !words) {
                return false;
            }
            shared |= !variable[i] && t.equals(tokens[i]);
        }
        return shared;
    }

    /**
     * How many different words a position must take to count as a variable: the fewer other
     * constants name the event, the more likely the word itself is its name ("printd startup
     * succeeded", "reset (job 12)"), so the more values it must show: the evidence needed falls
     * with the square of the other constants, from {@link #EVENT_WORD_VALUES} with one, to
     * {@link #VARIABLE_VALUES} at least. A word value after a key ({@code state=RUNNING}) is
     * usually one of a few settings: it needs as many values as with two constants.
     */
    private static int valuesToProveVariable(String[] tokens, boolean[] variable, int position) {
        int constants = 0;
        for (int i = 0; i < tokens.length; i++) {
            if (i != position && !variable[i]) {
                constants++;
            }
        }
        String word = tokens[position];
        boolean keyed = word.indexOf('=') > 0 || word.indexOf(':') > 0 && word.indexOf(':') < word.length() - 1;
        if (constants == 0) {
            return Integer.MAX_VALUE;
        }
        int others = keyed ? Math.min(constants, 2) : constants;
        return Math.max(VARIABLE_VALUES, EVENT_WORD_VALUES / (others * others));
    }

    /** Whether {@code template} fits the message everywhere but at {@code position}, where it has a wildcard or another word. */
    private static boolean differsOnlyAt(String[] template, String[] tokens, boolean[] variable, int position) {
        int constants = 0;
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (i == position) {
                if (t != LogMasker.WILDCARD && (t.equals(tokens[i]) || t.contains(LogMasker.WILDCARD))) {
                    return false;
                }
            } else if (!accepts(t, tokens[i])) {
                return false;
            } else if (!variable[i] && t.equals(tokens[i])) {
                constants++;
            }
        }
        return constants > 0;
    }

    /**
     * Older templates that a new or widened one covers (they differ from it only where it has
     * wildcards: "from PENDING to DONE" under "from <*> to <*>", "legacy is deprecated" under
     * "<*> is deprecated") are folded into it.
     */
    private void absorbCovered(LogCluster keep, Node lengthNode, int depth) {
        List<LogCluster> covered = new ArrayList<>();
        collectCovered(keep, lengthNode, 0, depth, covered);
        for (LogCluster other : covered) {
            absorb(keep, other);
        }
    }

    /**
     * Covered templates route like the covering one where it has a word (or went to the wildcard
     * branch of a full node); only below its wildcards can they be anywhere.
     */
    private static void collectCovered(LogCluster keep, Node node, int level, int depth, List<LogCluster> covered) {
        if (level == depth) {
            for (LogCluster other : node.clusters) {
                if (other != keep && !covered.contains(other) && covers(keep.tokens, other.tokens)) {
                    covered.add(other);
                }
            }
            return;
        }
        if (keep.tokens[level].contains(LogMasker.WILDCARD)) {
            for (Node child : node.children.values()) {
                collectCovered(keep, child, level + 1, depth, covered);
            }
            return;
        }
        for (String key : new String[] {keep.tokens[level], LogMasker.WILDCARD}) {
            Node child = node.children.get(key);
            if (child != null) {
                collectCovered(keep, child, level + 1, depth, covered);
            }
        }
    }

    private static boolean covers(String[] template, String[] other) {
        for (int i = 0; i < template.length; i++) {
            if (!accepts(template[i], other[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether template token {@code t} takes {@code token}: the same, a wildcard, or a variable of the same kind. */
    private static boolean accepts(String t, String token) {
        return t == LogMasker.WILDCARD || t.equals(token) || bothVariable(t, token) || fitsVariable(t, token);
    }

    private static void link(LogCluster cluster, Node leaf) {
        if (!leaf.clusters.contains(cluster)) {
            leaf.clusters.add(cluster);
            cluster.leaves.add(leaf);
        }
    }

    /** Folds {@code gone} into {@code keep}: its counts, its leaves, and its id (followed by {@link #cluster(int)}). */
    private void absorb(LogCluster keep, LogCluster gone) {
        generalize(keep, gone.tokens);
        keep.count += gone.count;
        keep.firstSeen = Math.min(keep.firstSeen, gone.firstSeen);
        keep.lastSeen = Math.max(keep.lastSeen, gone.lastSeen);
        for (Node goneLeaf : new ArrayList<>(gone.leaves)) {
            link(keep, goneLeaf);
        }
        detach(gone);
        clusters.remove(gone.id);
        mergedInto.put(gone.id, keep.id);
    }

    private static boolean[] variableFlags(String[] tokens) {
        boolean[] variable = new boolean[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            variable[i] = LogMasker.isWildcardLike(tokens[i]);
        }
        return variable;
    }

    /**
     * The most similar template in {@code candidates} at or above the threshold. A template whose
     * constant the message contradicts with a word of its own is no candidate (see the class
     * comment); differently shaped variables and units count as differences.
     */
    private LogCluster bestMatch(List<LogCluster> candidates, String[] tokens, boolean[] variable) {
        LogCluster best = null;
        double bestSimilarity = -1;
        int bestWildcards = -1;
        candidates:
        for (LogCluster cluster : candidates) {
            String[] template = cluster.tokens;
            int matches = 0;
            int contested = 0;
            int wildcards = 0;
            int exact = 0;
            for (int i = 0; i < template.length; i++) {
                String t = template[i];
                String token = tokens[i];
                boolean variableToken = variable[i];
                if (t == LogMasker.WILDCARD) {
                    wildcards++;
                    if (!variableToken) {
                        contested++;
                        matches++;
                    }
                } else if (t.equals(token)) {
                    if (!variableToken) {
                        contested++;
                        matches++;
                        exact++;
                    }
                } else if (fitsVariable(t, token)) {
                    contested++;
                    matches++;
                } else if (bothVariable(t, token)) {
                    contested++;
                } else {
                    continue candidates;
                }
            }
            if (exact == 0 && contested > 0 || matches < settings.similarity() * contested - (contested <= SHORT ? 0.5 : 0)) {
                continue;
            }
            double similarity = contested == 0 ? 1.0 : (double) matches / contested;
            if (similarity > bestSimilarity || similarity == bestSimilarity && wildcards > bestWildcards) {
                best = cluster;
                bestSimilarity = similarity;
                bestWildcards = wildcards;
            }
        }
        return best;
    }

    /**
     * Both tokens hold nothing but a variable, differently wrapped: {@code (<*>)} and {@code <*>,},
     * {@code (<*> KB)} and {@code (<*> MB)}; a token of bare punctuation ({@code ()}) is an empty value.
     */
    private static boolean bothVariable(String a, String b) {
        return isBareVariable(a) && isBareVariable(b);
    }

    /**
     * Whether {@code token} is a value of the template's variable {@code t}: same text around the
     * wildcard ({@code chdir(<*>)} takes {@code chdir(pwd)}, {@code rhost=<*>} takes {@code rhost=example.com}).
     * Once a position has held a variable, a word there is one more value.
     */
    private static boolean fitsVariable(String t, String token) {
        int at = t.indexOf(LogMasker.WILDCARD);
        int suffix = t.length() - at - LogMasker.WILDCARD.length();
        return at >= 0 && t.indexOf(LogMasker.WILDCARD, at + 1) < 0 && token.length() > at + suffix
                && token.regionMatches(0, t, 0, at) && token.regionMatches(token.length() - suffix, t, t.length() - suffix, suffix);
    }

    private static boolean isBareVariable(String token) {
        if (LogMasker.isWildcardLike(token) || LogMasker.isQuantity(token)) {
            return true;
        }
        for (int i = 0; i < token.length(); i++) {
            if (Character.isLetterOrDigit(token.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean generalize(LogCluster cluster, String[] tokens) {
        boolean changed = false;
        String[] template = cluster.tokens;
        for (int i = 0; i < template.length; i++) {
            if (template[i] != LogMasker.WILDCARD && !template[i].equals(tokens[i]) && !fitsVariable(template[i], tokens[i])) {
                template[i] = LogMasker.WILDCARD;
                changed = true;
            }
        }
        if (changed) {
            cluster.text = null;
        }
        return changed;
    }

    /** A template that became identical to another in its leaf is folded into the older one. */
    private LogCluster mergeTwins(LogCluster changed, Node leaf) {
        for (LogCluster other : leaf.clusters) {
            if (other != changed && Arrays.equals(other.tokens, changed.tokens)) {
                LogCluster keep = other.id < changed.id ? other : changed;
                absorb(keep, keep == other ? changed : other);
                return keep;
            }
        }
        return changed;
    }

    static final class Node {
        final Map<String, Node> children = new HashMap<>(4);
        final List<LogCluster> clusters = new ArrayList<>(2);
    }
}
