package dev.ghost.runner.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
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
import java.util.Set;
import java.util.stream.Stream;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ghost apply FILE|DIR... [--via relay] [--follow]}: submits patch files to a runner (or
 * through the relay), optionally follows each log live, prints each Markdown summary, and exits
 * non-zero unless every patch SUCCEEDED. Needs only a JDK: the JDK's HTTP client, Jackson from
 * the runner's jar. Token: {@code --token}, else {@code GHOST_TOKEN}, else {@code <home>/.ghost/token}.
 */
public final class GhostApply {

    static final String USAGE = """
            usage: ghost apply FILE|DIR... [--via relay] [--follow] [--url URL] [--token TOKEN]
              FILE|DIR     patch JSON files; a directory means every *.json in it, in name order
              --via relay  go through the relay (http://localhost:5060/relay, or GHOST_RELAY_URL)
              --follow     print each patch's output live while it runs
              --url URL    runner base URL (default GHOST_URL or http://localhost:5050)
              --token T    API token (default GHOST_TOKEN, else the file .ghost/token)
            exit status: 0 when every patch SUCCEEDED, 1 when one did not, 2 on a usage or connection error
            """;
    private static final Set<String> FINISHED = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "LOST");
    private static final int MAX_QUEUE_FULL_RETRIES = 60;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final PrintStream out;
    private final PrintStream err;
    private String base;
    private String token;

    GhostApply(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new GhostApply(System.out, System.err).run(args, System.getenv()));
    }

    int run(String[] args, Map<String, String> env) {
        List<Path> files = new ArrayList<>();
        boolean follow = false;
        boolean viaRelay = false;
        String url = null;
        Path home = Path.of(env.getOrDefault("GHOST_HOME", "."));
        token = env.get("GHOST_TOKEN");
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--follow", "-f" -> follow = true;
                    case "--via" -> {
                        if (!"relay".equals(value(args, ++i))) {
                            throw new IllegalArgumentException("--via takes 'relay'");
                        }
                        viaRelay = true;
                    }
                    case "--url" -> url = value(args, ++i);
                    case "--token" -> token = value(args, ++i);
                    case "--home" -> home = Path.of(value(args, ++i));
                    case "-h", "--help" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    default -> {
                        if (args[i].startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + args[i]);
                        }
                        files.addAll(patchFiles(Path.of(args[i])));
                    }
                }
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no patch files given");
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println("ghost apply: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        base = url != null ? url : viaRelay ? env.getOrDefault("GHOST_RELAY_URL", "http://localhost:5060/relay")
                : env.getOrDefault("GHOST_URL", "http://localhost:5050");
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        if (token == null || token.isBlank()) {
            Path file = home.resolve(".ghost/token");
            try {
                token = Files.readString(file).trim();
            } catch (IOException e) {
                err.println("ghost apply: no token: set GHOST_TOKEN or start the stack with ./ghost up (it writes " + file + ")");
                return 2;
            }
        }
        int failed = 0;
        try {
            for (Path file : files) {
                if (!apply(file, follow)) {
                    failed++;
                }
            }
        } catch (ConnectException e) {
            err.println("ghost apply: cannot reach " + base + " (is the stack up? ./ghost up)");
            return 2;
        } catch (IOException e) {
            err.println("ghost apply: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
        if (files.size() > 1) {
            out.println((files.size() - failed) + " of " + files.size() + " patches succeeded.");
        }
        return failed == 0 ? 0 : 1;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static List<Path> patchFiles(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.list(path)) {
                List<Path> found = files.filter(file -> file.getFileName().toString().endsWith(".json") && Files.isRegularFile(file))
                        .sorted().toList();
                if (found.isEmpty()) {
                    throw new IllegalArgumentException("no *.json patch files in " + path);
                }
                return found;
            }
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no such file: " + path);
        }
        return List.of(path);
    }

    /** Submits one file and reports on it; true when it SUCCEEDED. */
    private boolean apply(Path file, boolean follow) throws IOException, InterruptedException {
        HttpResponse<String> response = null;
        for (int attempt = 0; attempt <= MAX_QUEUE_FULL_RETRIES; attempt++) {
            response = http.send(request("/patches").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 429) {
                break;
            }
            long wait = response.headers().firstValueAsLong("Retry-After").orElse(5);
            err.println(file + ": the runner's queue is full; retrying in " + wait + " s");
            Thread.sleep(wait * 1000);
        }
        int status = response.statusCode();
        if (status != 200 && status != 202) {
            printProblem(file, response);
            return false;
        }
        JsonNode record = json.readTree(response.body());
        String id = record.get("id").stringValue();
        out.println(file + ": patch " + id + (status == 200 ? " already known (deduplicated), not run again" : " accepted"));
        if (follow && status == 202) {
            HttpResponse<InputStream> log = http.send(request("/patches/" + encode(id) + "/log?follow=true").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = log.body()) {
                if (log.statusCode() == 200) {
                    body.transferTo(out);
                    out.flush();
                }
            }
        }
        String outcome = record.get("status").stringValue();
        while (!FINISHED.contains(outcome)) {
            Thread.sleep(200);
            HttpResponse<String> current = http.send(request("/patches/" + encode(id)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (current.statusCode() != 200) {
                printProblem(file, current);
                return false;
            }
            outcome = json.readTree(current.body()).get("status").stringValue();
        }
        HttpResponse<String> summary = http.send(request("/patches/" + encode(id) + "/summary").header("Accept", "text/markdown")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        out.println();
        out.println(summary.statusCode() == 200 ? summary.body() : "(no summary: HTTP " + summary.statusCode() + ")");
        return "SUCCEEDED".equals(outcome);
    }

    private void printProblem(Path file, HttpResponse<String> response) {
        err.println(file + ": refused with HTTP " + response.statusCode());
        try {
            JsonNode problem = json.readTree(response.body());
            err.println("  " + text(problem, "title") + ": " + text(problem, "detail"));
            JsonNode violations = problem.get("violations");
            if (violations != null) {
                for (JsonNode violation : violations) {
                    err.println("  - " + (text(violation, "pointer").isEmpty() ? "(body)" : text(violation, "pointer"))
                            + " " + text(violation, "message"));
                }
            }
        } catch (JacksonException e) {
            err.println("  " + response.body());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asString();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).timeout(Duration.ofHours(24));
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
