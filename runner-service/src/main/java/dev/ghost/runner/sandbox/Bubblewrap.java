package dev.ghost.runner.sandbox;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds the command line that runs one command of a patch in a sandbox, after Bazel's
 * linux-sandbox and Flatpak: {@code unshare} makes a user and mount namespace in which the
 * runner's user may mount an overlay of the workspace (bubblewrap 0.8 has no overlay option), then
 * {@code bwrap} makes the sandbox proper: a new user (uid 1000, no capabilities, no nested user
 * namespaces), pid, ipc, uts and cgroup namespace, no network unless the workspace allows it, the
 * system read-only, a fresh /proc, a minimal /dev, private /tmp and home, and the overlay as
 * {@code /workspace}. Nothing else of the host is visible. The launcher starts with an empty
 * environment. {@code --die-with-parent} and the pid namespace make every process the command
 * starts end with it, when it exits, when it is killed and when the runner dies.
 */
public final class Bubblewrap {

    /** Exit status of the launcher when the sandbox itself could not be set up. */
    public static final int SETUP_FAILED = 125;
    public static final String WORKSPACE = "/workspace";
    public static final String HOME = "/home/ghost";

    private static final String SANDBOX_UID = "1000";
    private static final List<String> SYSTEM = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");
    private static final List<String> ETC = List.of("alternatives", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
            "localtime", "timezone", "nsswitch.conf", "hosts", "host.conf", "gai.conf", "protocols", "services",
            "ssl", "ca-certificates", "ca-certificates.conf", "mime.types", "magic", "gitconfig", "java-*");
    private static final List<String> ETC_NETWORK = List.of("resolv.conf");

    /** The sandbox's own account database: the host's users and groups are none of a patch's business. */
    private static final String PASSWD = "ghost:x:" + SANDBOX_UID + ":" + SANDBOX_UID + ":GHOST sandbox:" + HOME
            + ":/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
    private static final String GROUP = "ghost:x:" + SANDBOX_UID + ":\nnogroup:x:65534:\n";

    private final String unshare;
    private final String mount;
    private final String bwrap;
    private final List<String> fixedArguments;

    /** @param readOnlyPaths toolchain directories besides the system ones */
    public Bubblewrap(String bwrap, List<Path> readOnlyPaths) {
        this.unshare = executable("unshare");
        this.mount = executable("mount");
        this.bwrap = bwrap.contains("/") ? bwrap : executable(bwrap);
        this.fixedArguments = fixedArguments(readOnlyPaths);
    }

    /** Runs {@code argv} on the overlay of {@code layout}, with only {@code environment}, under {@code limits}. */
    public ProcessBuilder command(OverlayLayout layout, List<String> argv, Map<String, String> environment,
            ProcessLimits limits, boolean network) {
        List<String> command = new ArrayList<>(List.of(unshare, "--user", "--map-root-user", "--mount",
                "--propagation", "private", "--", "/bin/sh", "-c", setupScript(limits), "ghost-sandbox",
                layout.dir().toString(), bwrap));
        command.addAll(fixedArguments);
        if (!network) {
            command.add("--unshare-net");
        } else {
            for (String name : ETC_NETWORK) {
                command.addAll(List.of("--ro-bind-try", "/etc/" + name, "/etc/" + name));
            }
        }
        String size = String.valueOf(limits.memory().toBytes());
        command.addAll(List.of("--size", size, "--tmpfs", "/tmp", "--size", size, "--tmpfs", HOME,
                "--bind", layout.merged().toString(), WORKSPACE, "--chdir", WORKSPACE, "--clearenv"));
        environment.forEach((name, value) -> command.addAll(List.of("--setenv", name, value)));
        command.add("--");
        command.addAll(argv);
        // no environment, and no host path in the PWD a shell would export, for the sandbox's pid 1 to show
        ProcessBuilder builder = new ProcessBuilder(command).directory(new File("/"));
        builder.environment().clear();
        return builder;
    }

    /**
     * Runs {@code true} the way a patch's command would run, on a scratch overlay; null when it
     * works, else what went wrong (for a refusal to start that says how to fix it).
     */
    public String check(Path scratch) {
        try {
            Path lower = Files.createDirectories(scratch.resolve("workspace"));
            OverlayLayout layout = OverlayLayout.create(scratch.resolve("overlay"), lower);
            Process process = command(layout, List.of("/bin/sh", "-c", "echo ok > probe"), Map.of("PATH", "/usr/bin:/bin"),
                    new ProcessLimits(64, org.springframework.util.unit.DataSize.ofMegabytes(256), java.time.Duration.ofSeconds(10),
                            org.springframework.util.unit.DataSize.ofMegabytes(1), 64), false)
                    .redirectErrorStream(true).start();
            String output;
            try (var in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "the sandbox did not start within 30 s";
            }
            if (process.exitValue() != 0 || !Files.exists(layout.upper().resolve("probe"))) {
                return "exit " + process.exitValue() + (output.isEmpty() ? "" : ": " + output);
            }
            return null;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            try {
                deleteQuietly(scratch);
            } catch (IOException ignored) {
                // a scratch directory in the runner's own state; the next check replaces it
            }
        }
    }

    /**
     * Limits, the overlay, then bwrap; /etc/passwd and /etc/group reach it as data on file
     * descriptors 3 and 4 (so no host path of them shows in the sandbox's mount table).
     */
    private String setupScript(ProcessLimits limits) {
        return limits.ulimitScript(SETUP_FAILED) + "cd \"$1\" && " + mount
                + " -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work,userxattr merged || exit "
                + SETUP_FAILED + "\nunset PWD OLDPWD\nshift\nexec \"$@\" 3<<'GHOST_PASSWD' 4<<'GHOST_GROUP'\n"
                + PASSWD + "GHOST_PASSWD\n" + GROUP + "GHOST_GROUP\n";
    }

    private static List<String> fixedArguments(List<Path> readOnlyPaths) {
        List<String> arguments = new ArrayList<>(List.of("--unshare-user", "--uid", SANDBOX_UID, "--gid", SANDBOX_UID,
                "--disable-userns", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                "--die-with-parent", "--new-session", "--hostname", "ghost-sandbox", "--cap-drop", "ALL"));
        for (String system : SYSTEM) {
            Path path = Path.of(system);
            try {
                if (Files.isSymbolicLink(path)) {
                    arguments.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), system));
                } else if (Files.isDirectory(path)) {
                    arguments.addAll(List.of("--ro-bind", system, system));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String name : etcEntries()) {
            arguments.addAll(List.of("--ro-bind-try", "/etc/" + name, "/etc/" + name));
        }
        arguments.addAll(List.of("--ro-bind-data", "3", "/etc/passwd", "--ro-bind-data", "4", "/etc/group"));
        for (Path path : readOnlyPaths) {
            String absolute = path.toAbsolutePath().normalize().toString();
            arguments.addAll(List.of("--ro-bind-try", absolute, absolute));
        }
        arguments.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
        return List.copyOf(arguments);
    }

    private static List<String> etcEntries() {
        List<String> names = new ArrayList<>();
        for (String pattern : ETC) {
            if (!pattern.contains("*")) {
                names.add(pattern);
                continue;
            }
            try (DirectoryStream<Path> matches = Files.newDirectoryStream(Path.of("/etc"), pattern)) {
                matches.forEach(match -> names.add(match.getFileName().toString()));
            } catch (IOException e) {
                // no /etc to speak of: nothing to expose
            }
        }
        return names;
    }

    private static String executable(String name) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin")) {
            File file = new File(dir, name);
            if (file.canExecute()) {
                return file.getPath();
            }
        }
        return name;
    }

    private static void deleteQuietly(Path dir) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            dev.ghost.runner.rollback.TreeFiles.delete(dir);
        }
    }
}
