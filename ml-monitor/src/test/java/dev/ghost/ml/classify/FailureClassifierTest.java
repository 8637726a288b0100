package dev.ghost.ml.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Accuracy on held-out examples. Folds are split by message pattern (its first words), not by
 * line, so a fold never contains a re-worded twin of a training example: an honest estimate.
 */
class FailureClassifierTest {

    static String pattern(String text) {
        String words = text.replaceFirst("^(ERROR |\\[main\\] )", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z ]", " ").trim();
        String[] parts = words.split("\\s+");
        return String.join(" ", java.util.Arrays.copyOf(parts, Math.min(3, parts.length)));
    }

    /** Accuracy and confusion matrix (true type -> predicted type -> count) of k-fold cross-validation. */
    static double crossValidate(int folds, int[][] confusion) {
        List<FailureClassifier.Example> corpus = FailureClassifier.shippedCorpus();
        List<String> patterns = new ArrayList<>(corpus.stream().map(e -> pattern(e.text())).distinct().toList());
        Collections.shuffle(patterns, new Random(7));
        Map<String, Integer> foldOf = new HashMap<>();
        for (int i = 0; i < patterns.size(); i++) {
            foldOf.put(patterns.get(i), i % folds);
        }
        int correct = 0;
        for (int fold = 0; fold < folds; fold++) {
            FailureClassifier classifier = new FailureClassifier();
            List<FailureClassifier.Example> test = new ArrayList<>();
            for (FailureClassifier.Example example : corpus) {
                if (foldOf.get(pattern(example.text())) == fold) {
                    test.add(example);
                } else {
                    classifier.learn(example);
                }
            }
            for (FailureClassifier.Example example : test) {
                FailureType predicted = classifier.classify(example.text()).type();
                confusion[example.type().ordinal()][predicted.ordinal()]++;
                if (predicted == example.type()) {
                    correct++;
                }
            }
        }
        return (double) correct / corpus.size();
    }

    @Test
    void heldOutAccuracyIsHigh() {
        int[][] confusion = new int[FailureType.values().length][FailureType.values().length];
        double accuracy = crossValidate(5, confusion);
        StringBuilder table = new StringBuilder(String.format("5-fold (grouped by pattern) accuracy %.3f%n", accuracy));
        for (FailureType truth : FailureType.values()) {
            table.append(String.format("%-14s", truth.label()));
            for (FailureType predicted : FailureType.values()) {
                table.append(String.format("%4d", confusion[truth.ordinal()][predicted.ordinal()]));
            }
            table.append('\n');
        }
        System.out.print(table);
        assertThat(FailureClassifier.shippedCorpus()).hasSizeGreaterThanOrEqualTo(500);
        assertThat(accuracy).isGreaterThanOrEqualTo(0.75);
    }

    @Test
    void classifiesWithAProbability() {
        FailureClassifier classifier = FailureClassifier.trained();
        FailureClassifier.Prediction prediction = classifier.classify("java.lang.OutOfMemoryError: Java heap space in worker 7");
        assertThat(prediction.type()).isEqualTo(FailureType.OUT_OF_MEMORY);
        assertThat(prediction.probability()).isBetween(0.5, 1.0);
        assertThat(prediction.probabilities().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(classifier.classify("zzqx vvbn").type()).isEqualTo(FailureType.UNKNOWN);
    }

    @Test
    void feedbackTeachesNewWordingsOnline() {
        FailureClassifier classifier = FailureClassifier.trained();
        String text = "quota gremlins devoured the scratch volume";
        for (int i = 0; i < 3; i++) {
            classifier.learn(new FailureClassifier.Example(FailureType.DISK_FULL, text));
        }
        assertThat(classifier.classify("gremlins devoured the scratch volume again").type()).isEqualTo(FailureType.DISK_FULL);
    }
}
