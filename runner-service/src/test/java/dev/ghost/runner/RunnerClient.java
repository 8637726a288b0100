package dev.ghost.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.test.TestApps.RunningApp;
import dev.ghost.common.test.TestHttp;
import dev.ghost.common.test.TestTokens;

/** Talks to a runner under test over real HTTP, as a client would. */
public record RunnerClient(RunningApp app) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Patch ids unique to this run: the CI Redis keeps records of earlier runs. */
    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    public static ObjectNode patch(String id, String target) {
        ObjectNode patch = JSON.createObjectNode();
        patch.put("id", id);
        patch.put("target", target);
        return patch;
    }

    public static ObjectNode shell(ObjectNode patch, String phase, String... commands) {
        var list = patch.putObject(phase).putArray("shell");
        for (String command : commands) {
            list.add(command);
        }
        return patch;
    }

    public HttpResponse<String> submit(Object patch) {
        return TestHttp.post(app.url("/patches"), TestTokens.SUBMIT, patch.toString());
    }

    /** Submits and expects 202. */
    public String accepted(ObjectNode patch) {
        HttpResponse<String> response = submit(patch);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return patch.get("id").stringValue();
    }

    public JsonNode record(String id) {
        HttpResponse<String> response = TestHttp.get(app.url("/patches/" + id), TestTokens.READ);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    public String status(String id) {
        return record(id).get("status").stringValue();
    }

    public JsonNode awaitStatus(String id, String... statuses) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> java.util.List.of(statuses).contains(status(id)));
        return record(id);
    }

    public JsonNode awaitFinished(String id) {
        return awaitStatus(id, "SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "LOST");
    }

    public String log(String id) {
        HttpResponse<String> response = TestHttp.get(app.url("/patches/" + id + "/log"), TestTokens.READ);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    public String summary(String id) {
        HttpResponse<String> response = TestHttp.get(app.url("/patches/" + id + "/summary"), TestTokens.READ);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/markdown"));
        return response.body();
    }

    public HttpResponse<String> cancel(String id) {
        return TestHttp.post(app.url("/patches/" + id + "/cancel"), TestTokens.SUBMIT, "");
    }

    /** Every file and directory under {@code root}: content hash, mode and mtime, to compare a tree byte for byte. */
    public static Map<String, String> tree(Path root) {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
                if (Files.isSymbolicLink(path)) {
                    tree.put(root.relativize(path).toString(), "link -> " + Files.readSymbolicLink(path));
                } else if (Files.isDirectory(path)) {
                    tree.put(root.relativize(path) + "/", "dir " + mode);
                } else {
                    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
                    tree.put(root.relativize(path).toString(), sha + " " + mode + " " + Files.getLastModifiedTime(path).toMillis());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return tree;
    }
}
