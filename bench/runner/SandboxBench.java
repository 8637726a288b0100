import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import dev.ghost.runner.rollback.DirtyMarker;
import dev.ghost.runner.rollback.Journal;
import dev.ghost.runner.rollback.Transactions;
import dev.ghost.runner.rollback.WorkspaceTransaction;
import dev.ghost.runner.sandbox.Bubblewrap;
import dev.ghost.runner.sandbox.ProcessLimits;

/**
 * The sandbox's own costs, with the runner's own classes (bench/runner/run.sh puts them on the class path):
 *   launch   /bin/sh -c true started bare from Java, and in the sandbox exactly as the runner starts a command
 *            (unshare + overlay mount + bwrap), on a small workspace
 *   commit   moving a patch's changes into a workspace of FILES files (default 20,000): every file changed,
 *            and as many files created in a new directory; and the rollback of the first
 *   serve    (args: serve WORK_DIR) one sandboxed launch of `true` per line read on stdin, its milliseconds written back:
 *            RunnerBench alternates these with its patches, so the floor and the patches see the same machine
 * Args: WORK_DIR [RUNS]. Env BENCH_COMMIT_FILES.
 */
public class SandboxBench {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final ProcessLimits LIMITS = new ProcessLimits(512, org.springframework.util.unit.DataSize.ofGigabytes(4),
            java.time.Duration.ofMinutes(30), org.springframework.util.unit.DataSize.ofGigabytes(2), 4096);
    static final DirtyMarker NO_MARKER = new DirtyMarker() {
        public void mark(Journal.Meta journal) {
        }

        public void clear(Journal.Meta journal) {
        }
    };

    public static void main(String[] args) throws Exception {
        if (args[0].equals("serve")) {
            serve(Path.of(args[1]));
            return;
        }
        Path work = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int files = Integer.parseInt(System.getenv().getOrDefault("BENCH_COMMIT_FILES", "20000"));
        Transactions transactions = new Transactions(new Bubblewrap("bwrap", List.of()), NO_MARKER, JSON);

        List<Double> bare = new ArrayList<>();
        List<Double> sandboxed = new ArrayList<>();
        WorkspaceTransaction transaction = onSmallWorkspace(transactions, work, "launch");
        for (int i = 0; i < runs + 50; i++) {
            // alternated, so that both see the same machine
            double b = time(new ProcessBuilder("/bin/sh", "-c", "true"));
            double s = time(launchOfTrue(transaction));
            if (i >= 50) {
                bare.add(b);
                sandboxed.add(s);
            }
        }
        transaction.rollback();
        System.out.printf(Locale.ROOT, "launch  /bin/sh -c true bare from Java: median %.2f ms, p99 %.2f ms; in the sandbox: median %.2f ms,"
                        + " p99 %.2f ms (%.1fx the bare launch; %d runs each, alternated)%n",
                percentile(bare, 50), percentile(bare, 99), percentile(sandboxed, 50), percentile(sandboxed, 99),
                percentile(sandboxed, 50) / percentile(bare, 50), runs);

        Path tree = Files.createDirectories(work.resolve("tree"));
        for (int i = 0; i < files; i++) {
            Path dir = Files.createDirectories(tree.resolve("d" + i / 100));
            Files.writeString(dir.resolve("f" + i), "line " + i + "\n");
        }
        WorkspaceTransaction changeAll = begin(transactions, work, "change-all", tree);
        double build = run(changeAll, "for f in d*/f*; do echo more >> \"$f\"; done");
        long begin = System.nanoTime();
        changeAll.commit();
        double commitAll = (System.nanoTime() - begin) / 1e6;

        WorkspaceTransaction createAll = begin(transactions, work, "create-all", tree);
        run(createAll, "mkdir out && cd out && seq 1 " + files + " | sed 's/^/o/' | xargs touch");
        begin = System.nanoTime();
        createAll.commit();
        double commitNew = (System.nanoTime() - begin) / 1e6;

        WorkspaceTransaction discarded = begin(transactions, work, "discard", tree);
        run(discarded, "for f in d*/f*; do echo again >> \"$f\"; done");
        begin = System.nanoTime();
        discarded.rollback();
        double rollback = (System.nanoTime() - begin) / 1e6;
        System.out.printf(Locale.ROOT, "commit  %d files changed by a build (which itself took %.0f ms): %.0f ms (%.1f us per file);"
                        + " %d files created in a new directory: %.1f ms; rollback of %d changed files: %.0f ms%n",
                files, build, commitAll, commitAll * 1000 / files, files, commitNew, files, rollback);
    }

    static void serve(Path work) throws Exception {
        WorkspaceTransaction transaction = onSmallWorkspace(new Transactions(new Bubblewrap("bwrap", List.of()), NO_MARKER, JSON),
                work, "serve");
        java.io.BufferedReader requests = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
        while (requests.readLine() != null) {
            double millis = time(launchOfTrue(transaction));
            System.out.printf(Locale.ROOT, "%.4f%n", millis);
            System.out.flush();
        }
        transaction.rollback();
    }

    /** A transaction on a one-file workspace, what each launch of the floor runs on. */
    static WorkspaceTransaction onSmallWorkspace(Transactions transactions, Path work, String name) throws IOException {
        Path small = Files.createDirectories(work.resolve("small-" + name));
        Files.writeString(small.resolve("README"), "hello\n");
        return begin(transactions, work, name, small);
    }

    /** `true` in the sandbox, started as the runner starts a command. */
    static ProcessBuilder launchOfTrue(WorkspaceTransaction transaction) {
        return transaction.command(List.of("/bin/sh", "-c", "true"), Map.of("PATH", "/usr/bin:/bin"));
    }

    static WorkspaceTransaction begin(Transactions transactions, Path work, String name, Path root) throws IOException {
        return transactions.begin(work.resolve("state/running/p-" + name),
                new Journal.Meta(name, "bench", root.toString(), "bench", null, null), root, LIMITS, false);
    }

    static double run(WorkspaceTransaction transaction, String command) throws Exception {
        long begin = System.nanoTime();
        Process process = transaction.command(List.of("/bin/sh", "-c", command), Map.of("PATH", "/usr/bin:/bin"))
                .redirectErrorStream(true).start();
        process.getInputStream().transferTo(System.err);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the sandboxed build failed: " + command);
        }
        return (System.nanoTime() - begin) / 1e6;
    }

    static double time(ProcessBuilder builder) throws Exception {
        long begin = System.nanoTime();
        Process process = builder.redirectErrorStream(true).start();
        process.getInputStream().transferTo(System.err);
        process.waitFor();
        return (System.nanoTime() - begin) / 1e6;
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }
}
