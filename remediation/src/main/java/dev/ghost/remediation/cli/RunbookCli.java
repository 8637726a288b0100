package dev.ghost.remediation.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./ghost runbook list | show NAME [--alert ID] | run NAME --alert ID [--follow]}: runbooks
 * from a terminal, through ml-monitor's API ({@code GHOST_ML_URL}, default http://localhost:5080)
 * with {@code GHOST_TOKEN} or {@code .ghost/token}. JDK only (no Spring is started). Exit codes: 0
 * done (run: the runbook succeeded and, with --follow, health confirmed), 1 failed, 2 usage or
 * connection error.
 */
public final class RunbookCli {

    static final String USAGE = """
            ./ghost runbook list                          the runbooks: name, version, automatic or not, what they match
            ./ghost runbook show NAME [--alert ID]        one runbook (its patch template); with --alert, the patch it would run
            ./ghost runbook run NAME --alert ID [--follow]
                                                          run it for a firing alert (its fingerprint from GET /alerts, or a unique
                                                          prefix), as you (your token needs SUBMIT); --follow waits for the outcome
                                                          and for health's verdict
            Environment: GHOST_ML_URL (default http://localhost:5080), GHOST_TOKEN (default: .ghost/token).""";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;
    private final PrintStream out;

    RunbookCli(String base, String token, PrintStream out) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** The command line's work, without exiting: the exit code. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        String home = ".";
        if (rest.size() >= 2 && rest.get(0).equals("--home")) {
            home = rest.get(1);
            rest = new ArrayList<>(rest.subList(2, rest.size()));
        }
        if (rest.isEmpty() || rest.contains("-h") || rest.contains("--help")) {
            out.println(USAGE);
            return rest.isEmpty() ? 2 : 0;
        }
        String token = env.getOrDefault("GHOST_TOKEN", "");
        if (token.isBlank()) {
            try {
                token = Files.readString(Path.of(home, env.getOrDefault("GHOST_DIR", ".ghost"), "token")).strip();
            } catch (IOException e) {
                err.println("ghost runbook: no token: set GHOST_TOKEN, or run ./ghost up (it writes .ghost/token)");
                return 2;
            }
        }
        RunbookCli cli = new RunbookCli(env.getOrDefault("GHOST_ML_URL", "http://localhost:5080"), token, out);
        String command = rest.remove(0);
        String alert = option(rest, "--alert");
        boolean follow = rest.remove("--follow");
        try {
            return switch (command) {
                case "list" -> cli.list();
                case "show" -> rest.size() == 1 ? cli.show(rest.get(0), alert) : usage(err, "show needs NAME");
                case "run" -> rest.size() == 1 && alert != null ? cli.runbook(rest.get(0), alert, follow)
                        : usage(err, "run needs NAME and --alert ID");
                default -> usage(err, "unknown command '" + command + "'");
            };
        } catch (IOException e) {
            err.println("ghost runbook: cannot reach ml-monitor at " + cli.base + " (" + e.getClass().getSimpleName() + "); is GHOST up?");
            return 2;
        } catch (Failed e) {
            err.println("ghost runbook: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
    }

    private static String option(List<String> args, String name) {
        int at = args.indexOf(name);
        if (at < 0 || at + 1 >= args.size()) {
            return null;
        }
        String value = args.get(at + 1);
        args.remove(at + 1);
        args.remove(at);
        return value;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("ghost runbook: " + problem);
        err.println(USAGE);
        return 2;
    }

    int list() throws IOException, InterruptedException {
        JsonNode runbooks = get("/runbooks").path("runbooks");
        out.printf("%-24s %-8s %-10s %-50s %s%n", "NAME", "VERSION", "AUTOMATIC", "MATCHES", "DESCRIPTION");
        for (JsonNode runbook : runbooks) {
            JsonNode automatic = runbook.path("automatic");
            out.printf("%-24s %-8s %-10s %-50s %s%n", runbook.path("name").asString(""), "v" + runbook.path("version").asInt(),
                    automatic.path("enabled").asBoolean(false) ? automatic.path("maxRunsPerHour").asInt() + "/h" : "no",
                    String.join(", ", strings(runbook.path("matchers"))), runbook.path("description").asString(""));
        }
        if (runbooks.isEmpty()) {
            out.println("(none: PUT /runbooks/NAME, or files in ghost.remediation.runbooks-dir)");
        }
        return 0;
    }

    int show(String name, String alert) throws IOException, InterruptedException {
        JsonNode answer = get("/runbooks/" + encode(name) + (alert == null ? "" : "?alert=" + encode(alert)));
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
        return alert != null && !answer.path("matches").asBoolean(true) ? 1 : 0;
    }

    int runbook(String name, String alert, boolean follow) throws IOException, InterruptedException {
        JsonNode run = send("POST", "/runbooks/" + encode(name) + "/runs", JSON.writeValueAsString(Map.of("alert", alert)));
        String id = run.path("id").asString("");
        out.println("runbook " + name + " v" + run.path("runbookVersion").asInt() + " for alert " + run.path("alert").asString("")
                + " (" + run.path("alertname").asString("") + "): patch " + id + ", " + run.path("state").asString(""));
        if ("failed".equals(run.path("state").asString(""))) {
            throw new Failed(run.path("detail").asString("failed"));
        }
        if (!follow) {
            out.println("follow it: ./ghost runbook show " + name + " ; GET " + base + "/remediations/" + id);
            return 0;
        }
        String last = "";
        while (true) {
            Thread.sleep(1000);
            JsonNode now = get("/remediations/" + encode(id));
            String state = now.path("state").asString("") + " " + now.path("verification").asString("");
            if (!state.equals(last)) {
                out.println("  " + state.strip() + (now.hasNonNull("detail") ? ": " + now.path("detail").asString("") : ""));
                last = state;
            }
            String verification = now.path("verification").asString("");
            if ("failed".equals(now.path("state").asString(""))) {
                return 1;
            }
            if ("confirmed".equals(verification) || "recovered".equals(verification)) {
                return 0;
            }
            if ("persists".equals(verification)) {
                out.println("  the runbook ran, but the problem persists (paged again)");
                return 1;
            }
        }
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    private JsonNode send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        if (response.statusCode() >= 400) {
            StringBuilder problem = new StringBuilder(json.path("detail").asString("HTTP " + response.statusCode()));
            for (JsonNode violation : json.path("violations")) {
                problem.append("\n  ").append(violation.path("pointer").asString("")).append(": ").append(violation.path("message").asString(""));
            }
            throw new Failed(problem.toString());
        }
        return json;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asString("")));
        return out;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The call was answered with a refusal, or the run failed. */
    static final class Failed extends RuntimeException {

        Failed(String message) {
            super(message);
        }
    }
}
