package dev.ghost.ml.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import dev.ghost.ml.anomaly.AnomalyDetector;
import dev.ghost.ml.anomaly.EnsembleDetector;
import dev.ghost.ml.anomaly.GeneratedSuite;
import dev.ghost.ml.anomaly.WindowedGaussianDetector;
import dev.ghost.ml.templates.TemplateCorpus;
import dev.ghost.ml.templates.TemplateMiner;

/**
 * Throughput and memory of ml-monitor's algorithms on one thread, each against a baseline run in
 * the same process on the same input: template mining vs splitting lines on whitespace,
 * detection vs an exponentially weighted mean. Run with bench/ml/run.sh.
 */
public final class MlBench {

    static volatile long sink;
    static final int WINDOW = 1000;

    public static void main(String[] args) {
        List<String> lines = new ArrayList<>();
        TemplateCorpus corpus = new TemplateCorpus(7);
        TemplateCorpus.patterns().forEach((system, patterns) -> corpus.generate(system, patterns, 20_000).forEach(l -> lines.add(l.text())));
        Collections.shuffle(lines, new Random(1));
        double mined = 0;
        double split = 0;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            TemplateMiner miner = new TemplateMiner();
            for (String line : lines) {
                sink += miner.add(line, 0).cluster().id();
            }
            long t1 = System.nanoTime();
            for (String line : lines) {
                sink += line.split("\\s+").length;
            }
            long t2 = System.nanoTime();
            if (round >= 2) {
                mined = Math.max(mined, lines.size() / ((t1 - t0) / 1e9));
                split = Math.max(split, lines.size() / ((t2 - t1) / 1e9));
            }
        }
        double meanLength = lines.stream().mapToInt(String::length).average().orElse(0);
        System.out.printf("template mining: %,.0f lines/s (%d lines of %.0f chars, %d systems); whitespace split baseline %,.0f lines/s; ratio %.2f%n",
                mined, lines.size(), meanLength, TemplateCorpus.patterns().size(), split, mined / split);

        benchFreeWords();

        int points = 2_000_000;
        double[] values = new double[points];
        Random random = new Random(3);
        for (int i = 0; i < points; i++) {
            values[i] = 100 + 30 * Math.sin(2 * Math.PI * i / 288.0) + random.nextGaussian() * 3;
        }
        double detected = 0;
        double baseline = 0;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            AnomalyDetector detector = EnsembleDetector.standard();
            for (int i = 0; i < points; i++) {
                sink += (long) (detector.score(1_500_000_000_000L + i * 300_000L, values[i]) * 10);
            }
            long t1 = System.nanoTime();
            AnomalyDetector gaussian = new WindowedGaussianDetector(WINDOW);
            for (int i = 0; i < points; i++) {
                sink += (long) (gaussian.score(1_500_000_000_000L + i * 300_000L, values[i]) * 10);
            }
            long t2 = System.nanoTime();
            detected = Math.max(detected, points / ((t1 - t0) / 1e9));
            baseline = Math.max(baseline, points / ((t2 - t1) / 1e9));
        }
        System.out.printf("detection: %,.0f points/s per core; windowed-Gaussian baseline %,.0f points/s; ratio %.3f%n",
                detected, baseline, detected / baseline);
        benchGeneratedSuite();

        int series = 10_000;
        Runtime runtime = Runtime.getRuntime();
        long before = usedAfterGc(runtime);
        List<AnomalyDetector> detectors = new ArrayList<>(series);
        for (int s = 0; s < series; s++) {
            AnomalyDetector detector = EnsembleDetector.standard();
            for (int i = 0; i < 400; i++) {
                detector.score(1_500_000_000_000L + i * 300_000L, values[(s * 7 + i) % points]);
            }
            detectors.add(detector);
        }
        long after = usedAfterGc(runtime);
        System.out.printf("memory: %.1f MB per 10,000 series (detectors warmed with 400 points each; %,d bytes per series)%n",
                (after - before) / 1e6 * 10_000 / series, (after - before) / series);
        sink += detectors.size();
    }

    /**
     * The miner's hard case: every line carries four free words (names drawn from 50,000), so no two
     * lines differ in one word only and templates form only once a leaf is crowded.
     */
    private static void benchFreeWords() {
        Random random = new Random(1);
        String[] vocabulary = new String[50_000];
        for (int i = 0; i < vocabulary.length; i++) {
            StringBuilder word = new StringBuilder();
            for (int k = 4 + random.nextInt(6); k > 0; k--) {
                word.append((char) ('a' + random.nextInt(26)));
            }
            vocabulary[i] = word.toString();
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            lines.add(vocabulary[random.nextInt(vocabulary.length)] + " " + vocabulary[random.nextInt(vocabulary.length)] + " happened to "
                    + vocabulary[random.nextInt(vocabulary.length)] + " at stage " + vocabulary[random.nextInt(vocabulary.length)]);
        }
        double mined = 0;
        double split = 0;
        int templates = 0;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            TemplateMiner miner = new TemplateMiner();
            for (String line : lines) {
                sink += miner.add(line, 0).cluster().id();
            }
            long t1 = System.nanoTime();
            for (String line : lines) {
                sink += line.split("\\s+").length;
            }
            long t2 = System.nanoTime();
            mined = Math.max(mined, lines.size() / ((t1 - t0) / 1e9));
            split = Math.max(split, lines.size() / ((t2 - t1) / 1e9));
            templates = miner.size();
        }
        System.out.printf("template mining, four free words per line: %,.0f lines/s (100000 lines, %d templates); whitespace split baseline %,.0f lines/s%n",
                mined, templates, split);
    }

    /** Detection on the 60 varied series of the generated suite (noisy, bursty, seasonal, flat), a fresh detector each. */
    private static void benchGeneratedSuite() {
        List<GeneratedSuite.Series> suite = GeneratedSuite.suite(42, 60);
        long points = suite.stream().mapToLong(s -> s.values().length).sum();
        double detected = 0;
        double baseline = 0;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (GeneratedSuite.Series series : suite) {
                AnomalyDetector detector = EnsembleDetector.standard();
                for (int i = 0; i < series.values().length; i++) {
                    sink += (long) (detector.score(series.timestamps()[i], series.values()[i]) * 10);
                }
            }
            long t1 = System.nanoTime();
            for (GeneratedSuite.Series series : suite) {
                AnomalyDetector gaussian = new WindowedGaussianDetector(WINDOW);
                for (int i = 0; i < series.values().length; i++) {
                    sink += (long) (gaussian.score(series.timestamps()[i], series.values()[i]) * 10);
                }
            }
            long t2 = System.nanoTime();
            detected = Math.max(detected, points / ((t1 - t0) / 1e9));
            baseline = Math.max(baseline, points / ((t2 - t1) / 1e9));
        }
        System.out.printf("detection, generated suite (%,d points in 60 varied series): %,.0f points/s per core; windowed-Gaussian baseline %,.0f points/s%n",
                points, detected, baseline);
    }

    private static long usedAfterGc(Runtime runtime) {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
