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
 * ones share a wildcard branch) down a fixed-depth tree, and joins the most similar template in that leaf when enough of the
 * template's constant tokens match; positions that differ become wildcards.
 *
 * <p>Beyond plain Drain: the similarity only counts positions where a constant is at stake (two
 * variables prove nothing), so mostly-variable templates neither swallow everything nor split on
 * every line; a template that becomes identical to a sibling is
 * merged into it; and when the first routing token turns out to be a variable - at least
 * {@link #VARIABLE_HEAD_VALUES} different words lead otherwise-matching messages (program or
 * user names in front) - those templates are merged into one with a wildcard head. Two values are
 * not enough: "Failed password for ..." and "Accepted password for ..." are different events.
 *
 * <p>Memory is bounded: children per node ({@code maxChildren}) and templates
 * ({@code maxClusters}, least recently used forgotten). Not thread-safe; callers serialize access.
 */
public final class TemplateMiner {

    static final int VARIABLE_HEAD_VALUES = 3;
    /** Messages with this few constants may differ in half of them ("Wake reason: lid (thermal)"). */
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
        LogCluster best = bestMatch(route.leaf.clusters, tokens, variable, -1);
        boolean created = false;
        if (best == null) {
            best = variableHead(route, tokens, variable, now);
        }
        if (best == null) {
            best = new LogCluster(nextId++, tokens, now);
            attach(best, route.leaf);
            created = true;
        }
        boolean changed = !created && generalize(best, tokens);
        if (!created) {
            clusters.get(best.id);
        }
        best.count++;
        best.lastSeen = Math.max(best.lastSeen, now);
        if (changed) {
            best = mergeTwins(best, route.leaf);
        }
        return new Match(best, created, changed);
    }

    /** The template a message would get now, without learning from it; null when none fits. */
    public LogCluster match(String message) {
        String[] tokens = masker.tokens(message).toArray(String[]::new);
        Route route = route(tokens, false);
        return route == null ? null : bestMatch(route.leaf.clusters, tokens, variableFlags(tokens), -1);
    }

    /** Re-creates a template remembered from an earlier run, under its old id. */
    public LogCluster restore(int id, String template, long count, long firstSeen, long lastSeen) {
        String[] tokens = masker.tokens(template).toArray(String[]::new);
        LogCluster cluster = new LogCluster(id, tokens, firstSeen);
        cluster.count = count;
        cluster.lastSeen = lastSeen;
        attach(cluster, route(tokens, true).leaf);
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

    /** Where a message goes: its leaf, the node holding the alternatives for its first token, and the route below that. */
    private record Route(Node leaf, Node lengthNode, String headKey, String[] restKeys) {
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
        Node lengthNode = node;
        int depth = Math.min(settings.prefixDepth(), tokens.length);
        String[] keys = new String[depth];
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
        }
        return new Route(node, lengthNode, depth == 0 ? null : keys[0],
                depth == 0 ? new String[0] : Arrays.copyOfRange(keys, 1, depth));
    }

    /**
     * Looks for otherwise-matching templates led by other head words. With enough of them, the head
     * is a variable: they become one template with a wildcard head, reachable from every head's leaf.
     */
    private LogCluster variableHead(Route route, String[] tokens, boolean[] variable, long now) {
        if (route.headKey == null) {
            return null;
        }
        boolean variableHere = route.headKey.equals(LogMasker.WILDCARD);
        List<LogCluster> candidates = new ArrayList<>();
        List<Node> candidateLeaves = new ArrayList<>();
        int heads = 1;
        for (Map.Entry<String, Node> head : route.lengthNode.children.entrySet()) {
            if (head.getKey().equals(route.headKey)) {
                continue;
            }
            Node leaf = head.getValue();
            for (String key : route.restKeys) {
                leaf = leaf == null ? null : leaf.children.get(key);
            }
            if (leaf == null) {
                continue;
            }
            LogCluster candidate = bestMatch(leaf.clusters, tokens, variable, 0);
            if (candidate != null) {
                if (LogMasker.isWildcardLike(candidate.tokens[0])) {
                    candidate.leaves.add(route.leaf);
                    route.leaf.clusters.add(candidate);
                    return candidate;
                }
                candidates.add(candidate);
                candidateLeaves.add(leaf);
                heads++;
            }
        }
        if (candidates.isEmpty() || heads < VARIABLE_HEAD_VALUES && !variableHere) {
            return null;
        }
        LogCluster keep = candidates.stream().min((a, b) -> Integer.compare(a.id, b.id)).orElseThrow();
        keep.tokens[0] = LogMasker.WILDCARD;
        keep.text = null;
        for (LogCluster other : candidates) {
            if (other != keep) {
                generalize(keep, other.tokens);
                keep.count += other.count;
                keep.firstSeen = Math.min(keep.firstSeen, other.firstSeen);
                keep.lastSeen = Math.max(keep.lastSeen, other.lastSeen);
                detach(other);
                clusters.remove(other.id);
                mergedInto.put(other.id, keep.id);
            }
        }
        for (Node leaf : candidateLeaves) {
            if (!leaf.clusters.contains(keep)) {
                leaf.clusters.add(keep);
                keep.leaves.add(leaf);
            }
        }
        Node wildcardLeaf = route.lengthNode.children.computeIfAbsent(LogMasker.WILDCARD, k -> new Node());
        for (String key : route.restKeys) {
            wildcardLeaf = wildcardLeaf.children.computeIfAbsent(key, k -> new Node());
        }
        for (Node leaf : List.of(route.leaf, wildcardLeaf)) {
            if (!leaf.clusters.contains(keep)) {
                leaf.clusters.add(keep);
                keep.leaves.add(leaf);
            }
        }
        keep.lastSeen = Math.max(keep.lastSeen, now);
        return keep;
    }

    /** The most similar template in {@code candidates} at or above the threshold; position {@code ignore} is not compared. */
    private static boolean[] variableFlags(String[] tokens) {
        boolean[] variable = new boolean[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            variable[i] = LogMasker.isWildcardLike(tokens[i]);
        }
        return variable;
    }

    private LogCluster bestMatch(List<LogCluster> candidates, String[] tokens, boolean[] variable, int ignore) {
        LogCluster best = null;
        double bestSimilarity = -1;
        int bestWildcards = -1;
        for (LogCluster cluster : candidates) {
            String[] template = cluster.tokens;
            int matches = 0;
            int contested = 0;
            int wildcards = 0;
            int exact = 0;
            for (int i = 0; i < template.length; i++) {
                if (i == ignore) {
                    continue;
                }
                String t = template[i];
                String token = tokens[i];
                boolean variableToken = variable[i];
                if (t == LogMasker.WILDCARD) {
                    wildcards++;
                    if (!variableToken) {
                        contested++;
                        matches++;
                    }
                } else if (!(variableToken && t.equals(token))) {
                    contested++;
                    if (t.equals(token)) {
                        matches++;
                        exact++;
                    }
                }
            }
            if (exact == 0 && contested > 0 || ignore >= 0 && exact < 2 || matches < settings.similarity() * contested - (contested <= SHORT ? 0.5 : 0)) {
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

    private static boolean generalize(LogCluster cluster, String[] tokens) {
        boolean changed = false;
        String[] template = cluster.tokens;
        for (int i = 0; i < template.length; i++) {
            if (template[i] != LogMasker.WILDCARD && !template[i].equals(tokens[i])) {
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
                LogCluster gone = keep == other ? changed : other;
                keep.count += gone.count;
                keep.firstSeen = Math.min(keep.firstSeen, gone.firstSeen);
                keep.lastSeen = Math.max(keep.lastSeen, gone.lastSeen);
                for (Node goneLeaf : gone.leaves) {
                    if (!goneLeaf.clusters.contains(keep)) {
                        goneLeaf.clusters.add(keep);
                        keep.leaves.add(goneLeaf);
                    }
                }
                detach(gone);
                clusters.remove(gone.id);
                mergedInto.put(gone.id, keep.id);
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
