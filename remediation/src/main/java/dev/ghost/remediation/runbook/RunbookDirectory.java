package dev.ghost.remediation.runbook;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.problem.InvalidRequestException;
import dev.ghost.common.problem.Problems;

/**
 * Runbooks kept as files, like the runner's inbox: every {@code <name>.yml}, {@code .yaml} or
 * {@code .json} in the directory is the runbook {@code <name>}, read once its size and modification
 * time held still for one scan, checked with the same rules as {@code PUT /runbooks/{name}} and
 * saved as a new version when its text changed. A file that breaks a rule gets
 * {@code <file>.problem.json} beside it (the same problem document the API answers) and changes
 * nothing; a removed file removes its runbook. A name already managed over the API is left alone.
 */
public class RunbookDirectory {

    private static final Logger log = LoggerFactory.getLogger(RunbookDirectory.class);

    private record Seen(long size, long modified) {
    }

    private final Path directory;
    private final RunbookParser parser;
    private final RunbookCatalog catalog;
    private final JsonMapper json;
    private final Map<Path, Seen> pending = new HashMap<>();
    private final Map<Path, Seen> applied = new HashMap<>();
    private boolean missingReported;

    public RunbookDirectory(Path directory, RunbookParser parser, RunbookCatalog catalog, JsonMapper json) {
        this.directory = directory;
        this.parser = parser;
        this.catalog = catalog;
        this.json = json;
    }

    public Path directory() {
        return directory;
    }

    /** One look at the directory: new and changed files applied, removed ones' runbooks removed. */
    public synchronized void scan() {
        if (!Files.isDirectory(directory)) {
            if (!missingReported) {
                missingReported = true;
                log.warn("Runbooks directory {} does not exist (ghost.remediation.runbooks-dir): no runbooks from files", directory);
            }
            return;
        }
        missingReported = false;
        Set<Path> present = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.{yml,yaml,json}")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") || name.endsWith(".problem.json") || !Files.isRegularFile(file)) {
                    continue;
                }
                present.add(file);
                Seen now = new Seen(Files.size(file), Files.getLastModifiedTime(file).toMillis());
                if (now.equals(applied.get(file))) {
                    continue;
                }
                if (!now.equals(pending.put(file, now))) {
                    continue; // changed since the last scan: wait until it holds still
                }
                pending.remove(file);
                applied.put(file, now);
                apply(file);
            }
        } catch (IOException e) {
            log.warn("Runbooks directory {} unreadable: {}", directory, e.getMessage());
            return;
        }
        for (Path gone : Set.copyOf(applied.keySet())) {
            if (!present.contains(gone)) {
                applied.remove(gone);
                String source = source(gone);
                catalog.find(nameOf(gone)).filter(r -> source.equals(r.source())).ifPresent(r -> {
                    catalog.delete(r.name());
                    log.info("Runbook {} removed: its file {} is gone", r.name(), gone.getFileName());
                });
            }
        }
        pending.keySet().retainAll(present);
    }

    private void apply(Path file) {
        String name = nameOf(file);
        Path problem = file.resolveSibling(file.getFileName() + ".problem.json");
        try {
            var existing = catalog.find(name);
            if (existing.isPresent() && !source(file).equals(existing.get().source())) {
                throw new InvalidRequestException(List.of(new dev.ghost.common.patch.Violation("/name",
                        "runbook '" + name + "' is managed by " + existing.get().source() + ": delete it there first")));
            }
            Runbook runbook = parser.parse(name, parser.read(Files.readAllBytes(file)), source(file), "file");
            Runbook stored = catalog.save(runbook);
            Files.deleteIfExists(problem);
            log.info("Runbook {} v{} from {}", stored.name(), stored.version(), file.getFileName());
        } catch (InvalidRequestException e) {
            log.warn("Runbook file {} refused: {} (see {})", file.getFileName(), e.getMessage(), problem.getFileName());
            write(problem, e);
        } catch (IOException e) {
            log.warn("Runbook file {} unreadable: {}", file.getFileName(), e.getMessage());
        }
    }

    private void write(Path problem, InvalidRequestException e) {
        try {
            Path temp = problem.resolveSibling("." + problem.getFileName() + ".tmp");
            var document = Problems.invalidRequest(e.violations());
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("type", String.valueOf(document.getType()));
            body.put("title", document.getTitle());
            body.put("status", document.getStatus());
            body.put("detail", document.getDetail());
            body.put("violations", document.getProperties() == null ? List.of() : document.getProperties().get("violations"));
            Files.write(temp, json.writeValueAsBytes(body));
            Files.move(temp, problem, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException io) {
            log.warn("Cannot write {}: {}", problem, io.getMessage());
        }
    }

    private static String nameOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    private static String source(Path file) {
        return "file:" + file.getFileName();
    }
}
