package dev.ghost.ml.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Grouping accuracy on the repository's own corpus of many kinds of systems, with the one
 * default setting. Lines are grouped by their final template text, as the CLI writes them.
 */
class TemplateMinerAccuracyTest {

    static final int LINES_PER_SYSTEM = 2000;

    /** Per-system grouping accuracy with {@code settings}, in corpus order. */
    static Map<String, Double> accuracy(MinerSettings settings, long seed) {
        TemplateCorpus corpus = new TemplateCorpus(seed);
        Map<String, Double> result = new LinkedHashMap<>();
        TemplateCorpus.patterns().forEach((system, patterns) -> {
            List<TemplateCorpus.LabeledLine> lines = corpus.generate(system, patterns, LINES_PER_SYSTEM);
            TemplateMiner miner = new TemplateMiner(settings);
            int[] ids = new int[lines.size()];
            List<String> truth = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                ids[i] = miner.add(lines.get(i).text(), i).cluster().id();
                truth.add(lines.get(i).templateId());
            }
            List<String> predicted = new ArrayList<>();
            for (int id : ids) {
                predicted.add(miner.cluster(id).template());
            }
            result.put(system, TemplateCorpus.groupingAccuracy(truth, predicted));
        });
        return result;
    }

    @Test
    void oneSettingGroupsEverySystemWell() {
        for (long seed : new long[] {1, 2, 3}) {
            Map<String, Double> accuracy = accuracy(MinerSettings.DEFAULT, seed);
            double mean = accuracy.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            System.out.printf("seed %d: mean grouping accuracy %.3f %s%n", seed, mean, accuracy);
            assertThat(accuracy).hasSizeGreaterThanOrEqualTo(16);
            assertThat(mean).as("mean grouping accuracy, seed %d", seed).isGreaterThanOrEqualTo(0.95);
            assertThat(accuracy.values()).as("every system, seed %d", seed).allSatisfy(a -> assertThat(a).isGreaterThanOrEqualTo(0.65));
        }
    }
}
