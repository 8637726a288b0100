package dev.ghost.ml.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.ghost.ml.anomaly.AnomalyDetector;
import dev.ghost.ml.anomaly.EnsembleDetector;
import dev.ghost.ml.templates.TemplateMiner;

/**
 * The offline command line: {@code templates} and {@code detect} over a file or a directory tree
 * (mirrored into the output). Plain Java: no Spring, no web server, starts in a blink.
 * Invoked as {@code ./ghost ml <command> --in PATH --out PATH} through scripts/ghost-ml.sh.
 */
public final class MlCli {

    static final String USAGE = """
            usage: ghost ml templates --in PATH --out PATH
                   ghost ml detect    --in PATH --out PATH
              templates: one log message per input line -> CSV 'line,template' (1-based line numbers)
              detect:    CSV with a 'timestamp,value' header -> CSV 'timestamp,value,anomaly_score' (online, in [0,1])
              PATH may be a file or a directory (processed recursively, names mirrored; .txt -> .csv for templates)""";

    private final PrintStream out;
    private final PrintStream err;

    MlCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new MlCli(System.out, System.err).run(args));
    }

    /** Runs one command; returns the process exit code (0 done, 1 failed, 2 usage error). */
    int run(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        Path in = null;
        Path outPath = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("--in") || arg.equals("--out")) && i + 1 < args.length) {
                Path value = Path.of(args[++i]);
                if (arg.equals("--in")) {
                    in = value;
                } else {
                    outPath = value;
                }
            } else {
                return usage("unexpected argument '" + arg + "'");
            }
        }
        if (!command.equals("templates") && !command.equals("detect")) {
            return usage("unknown command '" + command + "'");
        }
        if (in == null || outPath == null) {
            return usage("both --in and --out are required");
        }
        if (!Files.exists(in)) {
            err.println("ghost ml: input not found: " + in);
            return 1;
        }
        try {
            List<Path[]> jobs = jobs(in, outPath, command.equals("templates"));
            long totalBytes = 0;
            for (Path[] job : jobs) {
                totalBytes += Files.size(job[0]);
            }
            Progress progress = new Progress(err, totalBytes);
            long done = 0;
            for (Path[] job : jobs) {
                if (job[1].getParent() != null) {
                    Files.createDirectories(job[1].getParent());
                }
                long rows = command.equals("templates")
                        ? templates(job[0], job[1], progress, done)
                        : detect(job[0], job[1], progress, done);
                done += Files.size(job[0]);
                progress.update(done, job[0].getFileName() + " (" + rows + " rows)");
            }
            progress.finish(jobs.size() + " file(s)");
            return 0;
        } catch (IOException | UncheckedIOException e) {
            err.println("ghost ml: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("ghost ml: " + e.getMessage());
            return 1;
        }
    }

    private int usage(String problem) {
        err.println("ghost ml: " + problem);
        err.println(USAGE);
        return 2;
    }

    /** Input/output pairs: the file itself, or every file under the directory with its mirrored output name. */
    static List<Path[]> jobs(Path in, Path out, boolean templates) throws IOException {
        List<Path[]> jobs = new ArrayList<>();
        if (Files.isRegularFile(in)) {
            Path target = Files.isDirectory(out) ? out.resolve(outputName(in.getFileName().toString(), templates)) : out;
            jobs.add(new Path[] {in, target});
            return jobs;
        }
        try (Stream<Path> files = Files.walk(in)) {
            files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().forEach(file -> {
                Path relative = in.relativize(file);
                Path parent = relative.getParent();
                String name = outputName(relative.getFileName().toString(), templates);
                jobs.add(new Path[] {file, parent == null ? out.resolve(name) : out.resolve(parent).resolve(name)});
            });
        }
        return jobs;
    }

    static String outputName(String name, boolean templates) {
        if (!templates) {
            return name;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".txt")) {
            return name.substring(0, name.length() - 4) + ".csv";
        }
        return lower.endsWith(".csv") ? name : name + ".csv";
    }

    private static BufferedReader reader(Path path) throws IOException {
        return new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(path),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
    }

    /** Mines templates online in one pass, then writes each line's final template (so a template's lines agree). */
    long templates(Path in, Path outFile, Progress progress, long doneBefore) throws IOException {
        TemplateMiner miner = new TemplateMiner();
        int[] ids = new int[1024];
        int count = 0;
        long bytes = 0;
        try (BufferedReader reader = reader(in)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (count == ids.length) {
                    ids = java.util.Arrays.copyOf(ids, count * 2);
                }
                ids[count++] = miner.add(line, 0).cluster().id();
                bytes += line.length() + 1;
                if ((count & 0x3fff) == 0) {
                    progress.update(doneBefore + bytes, in.getFileName() + " " + count + " lines");
                }
            }
        }
        try (BufferedWriter writer = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)) {
            writer.write("line,template\n");
            for (int i = 0; i < count; i++) {
                var cluster = miner.cluster(ids[i]);
                writer.write(Integer.toString(i + 1));
                writer.write(',');
                writer.write(Csv.quote(cluster == null ? "<*>" : cluster.template()));
                writer.write('\n');
            }
        }
        return count;
    }

    /** Scores each row online (it sees only earlier rows) and writes it back with its score. */
    long detect(Path in, Path outFile, Progress progress, long doneBefore) throws IOException {
        AnomalyDetector detector = EnsembleDetector.standard();
        long rows = 0;
        long bytes = 0;
        try (BufferedReader reader = reader(in);
                BufferedWriter writer = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new IllegalArgumentException(in + ": empty file, expected a 'timestamp,value' header");
            }
            List<String> columns = Csv.split(header.startsWith("\uFEFF") ? header.substring(1) : header);
            int timestampColumn = indexOf(columns, "timestamp");
            int valueColumn = indexOf(columns, "value");
            if (timestampColumn < 0 || valueColumn < 0) {
                throw new IllegalArgumentException(in + ": header must name 'timestamp' and 'value' columns, found " + columns);
            }
            writer.write("timestamp,value,anomaly_score\n");
            TimestampParser timestamps = new TimestampParser();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                bytes += line.length() + 1;
                if (line.isBlank()) {
                    continue;
                }
                List<String> fields = Csv.split(line);
                String timestamp = field(fields, timestampColumn);
                String value = field(fields, valueColumn);
                double score = detector.score(timestamps.parse(timestamp, rows), parse(value));
                writer.write(Csv.quote(timestamp));
                writer.write(',');
                writer.write(Csv.quote(value));
                writer.write(',');
                writer.write(formatScore(score));
                writer.write('\n');
                rows++;
                if ((rows & 0x3fff) == 0) {
                    progress.update(doneBefore + bytes, in.getFileName() + " " + rows + " rows");
                }
            }
        }
        return rows;
    }

    private static int indexOf(List<String> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).trim().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String field(List<String> fields, int index) {
        return index < fields.size() ? fields.get(index).trim() : "";
    }

    private static double parse(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Eight decimals: alarm thresholds sit around 0.9998, and a score must stay in [0, 1]. */
    static String formatScore(double score) {
        double clamped = Double.isFinite(score) ? Math.max(0, Math.min(1, score)) : 0;
        return String.format(Locale.ROOT, "%.8f", clamped);
    }
}
