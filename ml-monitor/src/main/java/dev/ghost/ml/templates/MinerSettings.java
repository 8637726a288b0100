package dev.ghost.ml.templates;

/**
 * Settings of the {@link TemplateMiner}. The defaults are the one configuration used for every
 * kind of system; they were chosen on the repository's own multi-system corpus (see the module
 * README), not per system.
 *
 * @param prefixDepth       how many leading tokens route a message down the parse tree
 * @param similarity        share of a template's constant tokens a message must match to join it
 * @param maxChildren       children per tree node before new tokens share the wildcard branch
 * @param maxClusters       templates kept; the least recently used is forgotten beyond this
 * @param maxTokens         tokens read from one message; the rest become one wildcard
 */
public record MinerSettings(int prefixDepth, double similarity, int maxChildren, int maxClusters, int maxTokens) {

    public static final MinerSettings DEFAULT = new MinerSettings(2, 0.6, 64, 5_000, 96);

    public MinerSettings {
        if (prefixDepth < 0 || similarity <= 0 || similarity > 1 || maxChildren < 2 || maxClusters < 1 || maxTokens < 4) {
            throw new IllegalArgumentException("invalid miner settings");
        }
    }

    public MinerSettings withSimilarity(double value) {
        return new MinerSettings(prefixDepth, value, maxChildren, maxClusters, maxTokens);
    }

    public MinerSettings withPrefixDepth(int value) {
        return new MinerSettings(value, similarity, maxChildren, maxClusters, maxTokens);
    }

    public MinerSettings withMaxClusters(int value) {
        return new MinerSettings(prefixDepth, similarity, maxChildren, value, maxTokens);
    }
}
