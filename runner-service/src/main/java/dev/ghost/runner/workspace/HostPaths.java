package dev.ghost.runner.workspace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.ghost.runner.config.RunnerProperties;

/**
 * Takes the runner's host paths out of what it tells clients (record errors, step output, logs):
 * a workspace's directory becomes {@code <workspace:name>} and the state directory {@code <state>}.
 * Clients name workspaces, never directories; where they live on the host is none of their business.
 */
public class HostPaths {

    private final Map<String, String> replacements = new LinkedHashMap<>();

    public HostPaths(RunnerProperties properties) {
        Map<String, String> found = new LinkedHashMap<>();
        properties.workspaces().forEach((name, workspace) -> forms(workspace.path()).forEach(form -> found.put(form, "<workspace:" + name + ">")));
        forms(properties.stateDir()).forEach(form -> found.put(form, "<state>"));
        // longest first, so a path inside another is replaced whole
        found.entrySet().stream().sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed())
                .forEach(entry -> replacements.put(entry.getKey(), entry.getValue()));
    }

    private static java.util.List<String> forms(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            Path real = absolute.toRealPath();
            return real.equals(absolute) ? java.util.List.of(absolute.toString()) : java.util.List.of(absolute.toString(), real.toString());
        } catch (IOException e) {
            return java.util.List.of(absolute.toString());
        }
    }

    public String hide(String text) {
        if (text == null) {
            return null;
        }
        String hidden = text;
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            hidden = hidden.replace(replacement.getKey(), replacement.getValue());
        }
        return hidden;
    }
}
