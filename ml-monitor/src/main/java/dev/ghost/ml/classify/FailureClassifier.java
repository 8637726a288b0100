package dev.ghost.ml.classify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Multinomial naive Bayes over the words and word pairs of a failure message (numbers, ids and
 * paths left out, so "timed out after 30 s" and "after 600 s" are the same evidence). Trained from the labelled corpus
 * shipped in the jar; {@link #learn} adds examples online (naive Bayes only counts, so a new
 * example takes effect at once). Thread-safe.
 */
public final class FailureClassifier {

    /** Laplace smoothing: small, because failure vocabularies are sparse and telling. */
    static final double SMOOTHING = 0.3;
    static final String CORPUS = "/classify/failures.tsv";

    private final Map<FailureType, Map<String, Integer>> featureCounts = new EnumMap<>(FailureType.class);
    private final Map<FailureType, Integer> totalFeatures = new EnumMap<>(FailureType.class);
    private final Map<FailureType, Integer> documents = new EnumMap<>(FailureType.class);
    private final Map<String, Boolean> vocabulary = new HashMap<>();
    private int totalDocuments;

    /** A label and a message, as in the corpus. */
    public record Example(FailureType type, String text) {
    }

    /** The most probable type, its probability, and every type's probability (summing to 1). */
    public record Prediction(FailureType type, double probability, Map<FailureType, Double> probabilities) {
    }

    /** A classifier trained on the shipped corpus. */
    public static FailureClassifier trained() {
        FailureClassifier classifier = new FailureClassifier();
        shippedCorpus().forEach(classifier::learn);
        return classifier;
    }

    public static List<Example> shippedCorpus() {
        try (InputStream stream = FailureClassifier.class.getResourceAsStream(CORPUS)) {
            if (stream == null) {
                throw new IllegalStateException(CORPUS + " missing from the classpath");
            }
            List<Example> examples = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int tab = line.indexOf('\t');
                if (!line.startsWith("#") && tab > 0) {
                    examples.add(new Example(FailureType.fromLabel(line.substring(0, tab)), line.substring(tab + 1)));
                }
            }
            return examples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void learn(Example example) {
        Map<String, Integer> counts = featureCounts.computeIfAbsent(example.type(), t -> new HashMap<>());
        List<String> features = features(example.text());
        for (String feature : features) {
            counts.merge(feature, 1, Integer::sum);
            vocabulary.put(feature, Boolean.TRUE);
        }
        totalFeatures.merge(example.type(), features.size(), Integer::sum);
        documents.merge(example.type(), 1, Integer::sum);
        totalDocuments++;
    }

    public synchronized Prediction classify(String text) {
        List<String> features = features(text);
        Map<FailureType, Double> logPosterior = new EnumMap<>(FailureType.class);
        double vocabularySize = vocabulary.size() + 1.0;
        for (FailureType type : FailureType.values()) {
            int docs = documents.getOrDefault(type, 0);
            if (docs == 0) {
                continue;
            }
            Map<String, Integer> counts = featureCounts.get(type);
            double denominator = Math.log(totalFeatures.get(type) + SMOOTHING * vocabularySize);
            double score = Math.log((double) docs / totalDocuments);
            for (String feature : features) {
                score += Math.log(counts.getOrDefault(feature, 0) + SMOOTHING) - denominator;
            }
            logPosterior.put(type, score);
        }
        double max = logPosterior.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double sum = 0;
        Map<FailureType, Double> probabilities = new LinkedHashMap<>();
        for (Map.Entry<FailureType, Double> entry : logPosterior.entrySet()) {
            double p = Math.exp(entry.getValue() - max);
            probabilities.put(entry.getKey(), p);
            sum += p;
        }
        FailureType best = FailureType.UNKNOWN;
        double bestProbability = 0;
        for (Map.Entry<FailureType, Double> entry : probabilities.entrySet()) {
            double p = entry.getValue() / sum;
            entry.setValue(p);
            if (p > bestProbability) {
                best = entry.getKey();
                bestProbability = p;
            }
        }
        boolean nothingKnown = features.stream().noneMatch(vocabulary::containsKey);
        if (nothingKnown) {
            return new Prediction(FailureType.UNKNOWN, 1.0, Map.of(FailureType.UNKNOWN, 1.0));
        }
        return new Prediction(best, bestProbability, probabilities);
    }

    public synchronized int size() {
        return totalDocuments;
    }

    /**
     * Words (letters only; camelCase and dotted names split, so {@code SocketTimeoutException}
     * says "timeout" and {@code java.lang.OutOfMemoryError} says "memory"), lower-cased, plus
     * adjacent pairs; numbers, ids and paths are masked away first, so they cannot be learned as
     * if they meant something.
     */
    List<String> features(String text) {
        List<String> words = new ArrayList<>();
        for (String token : text.split("\\s+")) {
            if (token.startsWith("/") || token.contains("://")) {
                continue;
            }
            for (String part : token.split("[^A-Za-z]+")) {
                for (String word : part.split("(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")) {
                    if (word.length() >= 2) {
                        words.add(word.toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        List<String> features = new ArrayList<>(words.size() * 2);
        features.addAll(words);
        for (int i = 1; i < words.size(); i++) {
            features.add(words.get(i - 1) + ' ' + words.get(i));
        }
        return features;
    }
}
