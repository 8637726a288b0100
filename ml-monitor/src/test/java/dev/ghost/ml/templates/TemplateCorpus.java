package dev.ghost.ml.templates;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * The repository's own labelled log corpus: {@code templates/corpus.txt} holds hand-written
 * template patterns for many kinds of systems; this expands them, with seeded randomness, into
 * log lines whose true template is known. Frequencies are Zipf-like, as in real logs: a few
 * templates make most lines, many appear a handful of times.
 */
public final class TemplateCorpus {

    /** One generated line and the id of the pattern it came from. */
    public record LabeledLine(String text, String templateId) {
    }

    private static final String[] USERS = {"root", "admin", "test", "guest", "oracle", "postgres", "ubuntu", "git",
            "ftpuser", "nagios", "support", "mysql", "www", "pi", "deploy", "alice", "bob", "carol", "jenkins",
            "hadoop", "yarn", "curi", "cyrus", "news", "mail", "operator", "webmaster", "backup"};
    private static final String[] HOSTS = {"combo", "mesos-master", "knight", "db.internal.example.com",
            "www.example.org", "proxy.cse.example.edu", "compute.example.net", "cp-1.slowvm.cloud.example.us",
            "asian-links.example.net", "msra-sa-41", "worker-west", "storage-east", "gateway", "ns1.example.com",
            "mail.example.com", "static.cdn.example.com", "ip-10-0-0-12.ec2.internal", "dialup.example.net"};
    private static final String[] CLASSES = {"org.apache.hadoop.mapreduce.jobhistory.EventType",
            "org.apache.hadoop.mapreduce.v2.app.job.event.JobEventType",
            "org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter",
            "org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator",
            "org.apache.hadoop.mapreduce.jobhistory.JobHistoryEventHandler",
            "org.apache.hadoop.yarn.event.AsyncDispatcher", "org.apache.hadoop.mapred.TaskAttemptListenerImpl",
            "org.apache.hadoop.mapreduce.v2.app.speculate.DefaultSpeculator"};
    private static final String[] STATES = {"NEW", "UNASSIGNED", "ASSIGNED", "RUNNING", "SUCCEEDED", "FAILED",
            "KILLED", "SCHEDULED", "INITED", "SETUP", "COMMIT_PENDING", "SUCCESS_CONTAINER_CLEANUP", "FAIL_TASK_CLEANUP"};
    private static final String[] WORDS = {"nginx", "sshd", "cron", "wifi", "bluetooth", "sparkDriver",
            "sparkExecutor", "kdmflush", "httpd", "portmap", "netfs", "sendmail", "xinetd", "anonymous", "display",
            "keyboard", "MainActivity", "SplashActivity", "WindowsUpdateAgent", "TrustedInstaller", "lid", "smc",
            "thermal", "pmset", "alpha", "beta", "release", "staging", "ghost", "relay", "runner", "alerting"};
    private static final String[] APPS = {"chrome.exe", "Dropbox.exe", "firefox.exe", "svchost.exe", "Skype.exe",
            "outlook.exe", "Teams.exe", "putty.exe", "git-remote-https.exe"};
    private static final String[] PACKAGES = {"com.android.systemui", "com.example.messenger", "android",
            "com.example.launcher", "mapred.tip.id", "mapreduce.task.id", "mapred.task.partition",
            "mapreduce.task.partition", "com.apple.cts", "com.apple.suggestions.harvest", "com.example.weather.app"};
    private static final String[] SEGMENTS = {"var", "lib", "nova", "instances", "_base", "home", "mnt", "hadoop",
            "dfs", "data", "current", "etc", "httpd", "conf", "www", "html", "tmp", "usr", "share", "logs", "cache",
            "system", "job.jar", "index.html", "workers.properties", "Library", "Frameworks"};
    private static final String[] WINDOWS = {"Windows", "winsxs", "servicing", "Packages", "Logs", "CBS",
            "System32", "amd64_microsoft-windows-servicingstack_31bf3856ad364e35_6.1.7601.23505_none", "cbscore.dll",
            "sqm", "*_std.sqm"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    private final Random random;
    private final Map<String, Function<Random, String>> generators = new HashMap<>();

    public TemplateCorpus(long seed) {
        this.random = new Random(seed);
        generators.put("int", r -> String.valueOf(switch (r.nextInt(10)) {
            case 0, 1, 2, 3, 4 -> r.nextInt(10);
            case 5, 6, 7 -> 10 + r.nextInt(990);
            default -> 1000 + r.nextInt(99_000);
        }));
        generators.put("num", r -> String.valueOf(1_000_000L + (long) (r.nextDouble() * 1e13)));
        generators.put("float", r -> String.format(java.util.Locale.ROOT, "%." + (1 + r.nextInt(6)) + "f", r.nextDouble() * Math.pow(10, r.nextInt(5))));
        generators.put("hex", r -> "0x" + hex(r, 1 + r.nextInt(16)));
        generators.put("hexs", r -> hexWithDigit(r, 8 + r.nextInt(25)));
        generators.put("ip", TemplateCorpus::ip);
        generators.put("port", r -> String.valueOf(1024 + r.nextInt(64_000)));
        generators.put("ipport", r -> ip(r) + ":" + (1024 + r.nextInt(64_000)));
        generators.put("uuid", r -> java.util.UUID.nameUUIDFromBytes(Long.toString(r.nextLong()).getBytes(StandardCharsets.UTF_8)).toString());
        generators.put("path", TemplateCorpus::path);
        generators.put("wpath", r -> "C:\\" + String.join("\\", pick(r, WINDOWS, 2 + r.nextInt(3))));
        generators.put("url", r -> (r.nextBoolean() ? "https://" : "http://") + HOSTS[r.nextInt(HOSTS.length)] + path(r));
        generators.put("date", r -> String.format("20%02d-%02d-%02d", 10 + r.nextInt(15), 1 + r.nextInt(12), 1 + r.nextInt(28)));
        generators.put("time", r -> String.format("%02d:%02d:%02d", r.nextInt(24), r.nextInt(60), r.nextInt(60)));
        generators.put("datetime", r -> DAYS[r.nextInt(7)] + " " + MONTHS[r.nextInt(12)] + " " + (1 + r.nextInt(28)) + " "
                + String.format("%02d:%02d:%02d", r.nextInt(24), r.nextInt(60), r.nextInt(60)) + " " + (2000 + r.nextInt(25)));
        generators.put("blk", r -> "blk_" + (r.nextBoolean() ? "-" : "") + Math.abs(r.nextLong() % 9_000_000_000_000_000_000L));
        generators.put("user", r -> USERS[zipf(r, USERS.length)]);
        generators.put("host", r -> r.nextInt(4) == 0 ? ip(r).replace('.', '-') + ".dyn.example.net" : HOSTS[zipf(r, HOSTS.length)]);
        generators.put("cls", r -> CLASSES[r.nextInt(CLASSES.length)]);
        generators.put("state", r -> STATES[r.nextInt(STATES.length)]);
        generators.put("mac", r -> String.join(":", hex(r, 2), hex(r, 2), hex(r, 2), hex(r, 2), hex(r, 2), hex(r, 2)));
        generators.put("email", r -> USERS[r.nextInt(USERS.length)] + "@example.com");
        generators.put("dur", r -> switch (r.nextInt(3)) {
            case 0 -> r.nextInt(2000) + "ms";
            case 1 -> String.format(java.util.Locale.ROOT, "%.1fs", r.nextDouble() * 90);
            default -> (1 + r.nextInt(59)) + "m" + r.nextInt(60) + "s";
        });
        generators.put("word", r -> WORDS[zipf(r, WORDS.length)]);
        generators.put("app", r -> APPS[zipf(r, APPS.length)]);
        generators.put("pkg", r -> PACKAGES[r.nextInt(PACKAGES.length)]);
        generators.put("list", r -> {
            List<String> values = new ArrayList<>();
            for (int i = 1 + r.nextInt(6); i > 0; i--) {
                values.add(String.valueOf(3000 + r.nextInt(2000)));
            }
            return String.join(" ", values);
        });
        generators.put("ips", r -> {
            List<String> values = new ArrayList<>();
            for (int i = 1 + r.nextInt(3); i > 0; i--) {
                values.add(ip(r) + ":50010");
            }
            return String.join(" ", values);
        });
        generators.put("jobid", r -> "1445" + (100_000_000 + r.nextInt(900_000_000)) + "_00" + (10 + r.nextInt(90))
                + (r.nextBoolean() ? "_m_00000" + r.nextInt(10) + "_" + r.nextInt(3) : ""));
        generators.put("sess", r -> "0x" + hex(r, 5 + r.nextInt(10)));
        generators.put("pid", r -> String.valueOf(100 + r.nextInt(65_000)));
    }

    /** Pattern lines per system, in file order. */
    public static Map<String, List<String>> patterns() {
        Map<String, List<String>> systems = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                TemplateCorpus.class.getResourceAsStream("/templates/corpus.txt"), StandardCharsets.UTF_8))) {
            List<String> current = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("## ")) {
                    current = new ArrayList<>();
                    systems.put(line.substring(3).replaceAll(" \\(.*", ""), current);
                } else if (!line.isBlank() && !line.startsWith("#") && current != null) {
                    current.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return systems;
    }

    /** {@code count} lines of one system, every pattern at least once, the rest Zipf-distributed. */
    public List<LabeledLine> generate(String system, List<String> patterns, int count) {
        List<Integer> ranks = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            ranks.add(i);
        }
        Collections.shuffle(ranks, random);
        double[] cumulative = new double[patterns.size()];
        double total = 0;
        for (int i = 0; i < patterns.size(); i++) {
            total += 1.0 / Math.pow(ranks.get(i) + 1, 1.1);
            cumulative[i] = total;
        }
        List<LabeledLine> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int pattern = i < patterns.size() ? i : pickWeighted(cumulative, total);
            StringBuilder switches = new StringBuilder();
            String text = expand(patterns.get(pattern), switches);
            lines.add(new LabeledLine(text, system + "#" + (pattern + 1) + switches));
        }
        Collections.shuffle(lines, random);
        return lines;
    }

    private int pickWeighted(double[] cumulative, double total) {
        double x = random.nextDouble() * total;
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    /**
     * Replaces every placeholder of {@code pattern} with a fresh value, appending to
     * {@code switches} the option taken by each two-way
     * alternative ({@code {True|False}}, {@code {yes|no}}): such a switch names the event, as in
     * the public LogHub ground truth, where "time sync enabled" and "time sync disabled" are two
     * events. Alternatives of three or more options are values of a variable.
     */
    private String expand(String pattern, StringBuilder switches) {
        StringBuilder out = new StringBuilder(pattern.length() + 64);
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            int close = c == '{' ? pattern.indexOf('}', i) : -1;
            String name = close > i ? pattern.substring(i + 1, close) : null;
            if (name != null && generators.containsKey(name)) {
                out.append(generators.get(name).apply(random));
                i = close + 1;
            } else if (name != null && name.contains("|") && name.matches("[^{}\\s]+")) {
                String[] options = name.split("\\|");
                String option = options[random.nextInt(options.length)];
                if (options.length == 2) {
                    switches.append('|').append(option);
                }
                out.append(option);
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Share of lines whose predicted group is exactly their true group (the grouping accuracy of log parsing research). */
    public static double groupingAccuracy(List<String> truth, List<String> predicted) {
        Map<String, List<Integer>> trueGroups = new HashMap<>();
        Map<String, List<Integer>> predictedGroups = new HashMap<>();
        for (int i = 0; i < truth.size(); i++) {
            trueGroups.computeIfAbsent(truth.get(i), k -> new ArrayList<>()).add(i);
            predictedGroups.computeIfAbsent(predicted.get(i), k -> new ArrayList<>()).add(i);
        }
        long correct = 0;
        for (List<Integer> group : trueGroups.values()) {
            List<Integer> same = predictedGroups.get(predicted.get(group.get(0)));
            if (same.size() == group.size() && Set.copyOf(same).equals(Set.copyOf(group))) {
                correct += group.size();
            }
        }
        return (double) correct / truth.size();
    }

    private static String ip(Random r) {
        return (10 + r.nextInt(200)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    private static String path(Random r) {
        StringBuilder path = new StringBuilder();
        for (String segment : pick(r, SEGMENTS, 2 + r.nextInt(4))) {
            path.append('/').append(segment);
        }
        if (r.nextInt(3) == 0) {
            path.append('/').append(hexWithDigit(r, 12));
        }
        return path.toString();
    }

    private static List<String> pick(Random r, String[] values, int count) {
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            picked.add(values[r.nextInt(values.length)]);
        }
        return picked;
    }

    private static String hex(Random r, int digits) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < digits; i++) {
            s.append("0123456789abcdef".charAt(r.nextInt(16)));
        }
        return s.toString();
    }

    private static String hexWithDigit(Random r, int digits) {
        String s = hex(r, digits - 1);
        int at = r.nextInt(digits);
        return s.substring(0, at) + r.nextInt(10) + s.substring(at);
    }

    private static int zipf(Random r, int n) {
        double u = r.nextDouble();
        return Math.min(n - 1, (int) Math.floor(Math.pow(n + 1, u)) - 1);
    }
}
