package dev.ghost.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line forms of the issue, end to end: in-process, as a bare JVM, and through the script. */
class MlCliTest {

    @TempDir
    Path dir;

    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    int cli(String... args) {
        return new MlCli(new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8)).run(args);
    }

    static List<String> logLines() {
        List<String> lines = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 300; i++) {
            lines.add(switch (i % 3) {
                case 0 -> "Received block blk_" + random.nextLong() + " of size " + random.nextInt(1 << 26) + " from /10.0.0." + random.nextInt(255);
                case 1 -> "Invalid user " + new String[] {"admin", "oracle", "test", "pi"}[random.nextInt(4)] + " from 10.1.2." + random.nextInt(255);
                default -> "Connection closed by 10.9.8." + random.nextInt(255) + " [preauth], reason \"bye, bye\"";
            });
        }
        return lines;
    }

    static String seriesCsv(int rows, int spikeAt) {
        StringBuilder csv = new StringBuilder("timestamp,value,label\n");
        Random random = new Random(5);
        for (int i = 0; i < rows; i++) {
            String time = java.time.LocalDateTime.of(2024, 1, 1, 0, 0).plusMinutes(5L * i).toString().replace('T', ' ');
            double value = 100 + 20 * Math.sin(2 * Math.PI * i / 288.0) + random.nextGaussian() + (i == spikeAt ? 60 : 0);
            csv.append(time).append(',').append(String.format(java.util.Locale.ROOT, "%.3f", value)).append(",x\n");
        }
        return csv.toString();
    }

    @Test
    void templatesOfOneFileGiveOneRowPerLineAndOneTemplatePerEvent() throws IOException {
        Path in = dir.resolve("app.txt");
        Files.write(in, logLines());
        Path out = dir.resolve("app.csv");
        assertThat(cli("templates", "--in", in.toString(), "--out", out.toString())).isZero();
        List<String> rows = Files.readAllLines(out);
        assertThat(rows.get(0)).isEqualTo("line,template");
        assertThat(rows).hasSize(301);
        assertThat(rows.get(1)).isEqualTo("1,Received block <*> of size <*> from <*>");
        assertThat(rows.get(2)).isEqualTo("2,Invalid user <*> from <*>");
        assertThat(rows.get(3)).isEqualTo("3,\"Connection closed by <*> [preauth], reason \"\"bye, bye\"\"\"");
        assertThat(rows.stream().skip(1).map(r -> r.substring(r.indexOf(',') + 1)).distinct()).hasSize(3);
    }

    @Test
    void bothCommandsGiveTheSameOutputForTheSameInput() throws IOException {
        Path log = dir.resolve("app.txt");
        Files.write(log, logLines());
        Path series = dir.resolve("cpu.csv");
        Files.writeString(series, seriesCsv(3000, 2500));
        for (String run : new String[] {"a", "b"}) {
            assertThat(cli("templates", "--in", log.toString(), "--out", dir.resolve("templates-" + run + ".csv").toString())).isZero();
            assertThat(cli("detect", "--in", series.toString(), "--out", dir.resolve("scores-" + run + ".csv").toString())).isZero();
        }
        List<String> templates = Files.readAllLines(dir.resolve("templates-a.csv"));
        assertThat(Files.readAllLines(dir.resolve("templates-b.csv"))).isEqualTo(templates);
        assertThat(Files.readAllLines(dir.resolve("scores-b.csv"))).isEqualTo(Files.readAllLines(dir.resolve("scores-a.csv")));
        // One template per input line, numbered 1..n in order.
        for (int i = 1; i < templates.size(); i++) {
            assertThat(templates.get(i)).startsWith(i + ",").hasSizeGreaterThan((i + ",").length());
        }
    }

    @Test
    void templatesOfADirectoryMirrorTheTreeTxtToCsv() throws IOException {
        Files.createDirectories(dir.resolve("in/a/b"));
        Files.write(dir.resolve("in/top.txt"), logLines().subList(0, 10));
        Files.write(dir.resolve("in/a/b/deep.txt"), logLines().subList(10, 25));
        assertThat(cli("templates", "--in", dir.resolve("in").toString(), "--out", dir.resolve("out").toString())).isZero();
        assertThat(Files.readAllLines(dir.resolve("out/top.csv"))).hasSize(11);
        assertThat(Files.readAllLines(dir.resolve("out/a/b/deep.csv"))).hasSize(16);
    }

    @Test
    void detectScoresEveryRowOnlineInOrder() throws IOException {
        Path in = dir.resolve("cpu.csv");
        Files.writeString(in, seriesCsv(3000, 2500));
        Path out = dir.resolve("scored.csv");
        assertThat(cli("detect", "--in", in.toString(), "--out", out.toString())).isZero();
        List<String> rows = Files.readAllLines(out);
        List<String> input = Files.readAllLines(in);
        assertThat(rows.get(0)).isEqualTo("timestamp,value,anomaly_score");
        assertThat(rows).hasSize(input.size());
        for (int i = 1; i < rows.size(); i++) {
            String[] fields = rows.get(i).split(",");
            String[] original = input.get(i).split(",");
            assertThat(fields[0]).isEqualTo(original[0]);
            assertThat(fields[1]).isEqualTo(original[1]);
            assertThat(Double.parseDouble(fields[2])).isBetween(0.0, 1.0);
        }
        int bestRow = 1;
        for (int i = 1; i < rows.size(); i++) {
            if (Double.parseDouble(rows.get(i).split(",")[2]) > Double.parseDouble(rows.get(bestRow).split(",")[2])) {
                bestRow = i;
            }
        }
        assertThat(bestRow - 1).as("the most anomalous row is the spike").isEqualTo(2500);

        // Online: the scores of a prefix do not depend on what follows it.
        Path prefix = dir.resolve("prefix.csv");
        Files.write(prefix, input.subList(0, 2001));
        assertThat(cli("detect", "--in", prefix.toString(), "--out", dir.resolve("prefix-out.csv").toString())).isZero();
        assertThat(Files.readAllLines(dir.resolve("prefix-out.csv"))).isEqualTo(rows.subList(0, 2001));
    }

    @Test
    void detectOfADirectoryMirrorsTheTree() throws IOException {
        Files.createDirectories(dir.resolve("in/realTraffic"));
        Files.writeString(dir.resolve("in/realTraffic/speed.csv"), seriesCsv(500, 400));
        Files.writeString(dir.resolve("in/other.csv"), seriesCsv(100, 50));
        assertThat(cli("detect", "--in", dir.resolve("in").toString(), "--out", dir.resolve("out").toString())).isZero();
        assertThat(Files.readAllLines(dir.resolve("out/realTraffic/speed.csv"))).hasSize(501);
        assertThat(Files.readAllLines(dir.resolve("out/other.csv"))).hasSize(101);
    }

    @Test
    void badUseIsExplainedNotThrown() throws IOException {
        assertThat(cli("detect", "--in", dir.resolve("missing.csv").toString(), "--out", dir.resolve("o.csv").toString())).isEqualTo(1);
        assertThat(stderr.toString()).contains("input not found");
        assertThat(cli("frobnicate", "--in", "a", "--out", "b")).isEqualTo(2);
        assertThat(cli("templates", "--in", "a")).isEqualTo(2);
        Files.writeString(dir.resolve("nohead.csv"), "time,val\n1,2\n");
        assertThat(cli("detect", "--in", dir.resolve("nohead.csv").toString(), "--out", dir.resolve("o.csv").toString())).isEqualTo(1);
        assertThat(stderr.toString()).contains("'timestamp' and 'value'");
    }

    @Test
    void longInputsShowAProgressBarOnStderrOnly() throws IOException {
        Path in = dir.resolve("big.txt");
        try (var writer = Files.newBufferedWriter(in)) {
            List<String> lines = logLines();
            long bytes = 0;
            for (int i = 0; bytes < Progress.LONG_INPUT_BYTES + 1000; i++) {
                String line = lines.get(i % lines.size());
                writer.write(line);
                writer.write('\n');
                bytes += line.length() + 1;
            }
        }
        assertThat(cli("templates", "--in", in.toString(), "--out", dir.resolve("big.csv").toString())).isZero();
        assertThat(stderr.toString()).contains("100%").contains("[#");
        assertThat(stdout.toString()).isEmpty();
    }

    /** The script as the launcher runs it, with a module jar in place: a plain JVM, no Spring, no server. */
    @Test
    void scriptRunsTheCliFromThePlainModuleJar() throws Exception {
        Path root = dir.resolve("repo");
        Files.createDirectories(root.resolve("scripts"));
        Files.createDirectories(root.resolve("ml-monitor/target"));
        Path script = root.resolve("scripts/ghost-ml.sh");
        Files.copy(Path.of("..", "scripts", "ghost-ml.sh"), script, StandardCopyOption.COPY_ATTRIBUTES);
        jar(Path.of("target/classes"), root.resolve("ml-monitor/target/ml-monitor.jar"));
        Path in = dir.resolve("logs");
        Files.createDirectories(in.resolve("sub"));
        Files.write(in.resolve("sub/x.txt"), logLines().subList(0, 30));
        Files.writeString(in.resolve("series.txt"), "");

        Process process = new ProcessBuilder("bash", script.toString(), "templates", "--in", in.toString(), "--out", dir.resolve("script-out").toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("building").doesNotContain("Spring");
        assertThat(Files.readAllLines(dir.resolve("script-out/sub/x.csv"))).hasSize(31);
        assertThat(Files.readAllLines(dir.resolve("script-out/series.csv"))).containsExactly("line,template");
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, (OutputStream) out);
                out.closeEntry();
            }
        }
    }
}
