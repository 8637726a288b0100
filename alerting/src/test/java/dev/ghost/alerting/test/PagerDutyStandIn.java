package dev.ghost.alerting.test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local server speaking PagerDuty's Events API v2 as PagerDuty behaves: {@code POST /v2/enqueue}
 * with a routing key; a {@code trigger} opens an alert for its {@code dedup_key} unless one is open
 * (then it is deduplicated onto it), a {@code resolve} closes it; 202 with the dedup key, 400 for a
 * malformed event. {@code POST /v2/change/enqueue} takes change events. Can be told to take
 * requests about something and never answer.
 */
public final class PagerDutyStandIn implements AutoCloseable {

    public static final String ROUTING_KEY = "R0UTINGkEyOfGhOsT0123456789abcd";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A PagerDuty alert: how many triggers landed on it and whether it is resolved. */
    public static final class Incident {
        public final String dedupKey;
        public int triggers;
        public boolean resolved;
        public String summary;

        Incident(String dedupKey) {
            this.dedupKey = dedupKey;
        }
    }

    private final MockWebServer server = new MockWebServer();
    private final List<JsonNode> events = new ArrayList<>();
    private final List<JsonNode> changes = new ArrayList<>();
    private final List<Incident> incidents = new ArrayList<>();
    private final List<String> hangAbout = new ArrayList<>();

    public PagerDutyStandIn() {
        StandInServer.start(server, this::answer);
    }

    public String url() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    public synchronized void hangAfterTaking(String about) {
        hangAbout.add(about);
    }

    public synchronized void answerAgain(String about) {
        hangAbout.remove(about);
    }

    private synchronized MockResponse answer(RecordedRequest request) {
        String body = request.getBody().readUtf8();
        JsonNode event = JSON.readTree(body);
        if (!ROUTING_KEY.equals(event.path("routing_key").asString(""))) {
            return new MockResponse().setResponseCode(400).setBody("{\"status\":\"invalid event\",\"errors\":[\"routing_key\"]}");
        }
        if ("/v2/change/enqueue".equals(request.getPath())) {
            changes.add(event);
            return new MockResponse().setResponseCode(202).setBody("{\"status\":\"success\"}");
        }
        String action = event.path("event_action").asString("");
        String key = event.path("dedup_key").asString("");
        if (!"/v2/enqueue".equals(request.getPath()) || key.isEmpty()
                || !(action.equals("trigger") || action.equals("resolve") || action.equals("acknowledge"))
                || (action.equals("trigger") && event.path("payload").path("summary").asString("").isEmpty())) {
            return new MockResponse().setResponseCode(400).setBody("{\"status\":\"invalid event\"}");
        }
        events.add(event);
        Incident open = incidents.stream().filter(i -> i.dedupKey.equals(key) && !i.resolved).findFirst().orElse(null);
        if (action.equals("trigger")) {
            if (open == null) {
                open = new Incident(key);
                incidents.add(open);
            }
            open.triggers++;
            open.summary = event.path("payload").path("summary").asString("");
        } else if (action.equals("resolve") && open != null) {
            open.resolved = true;
        }
        boolean hang = hangAbout.stream().anyMatch(body::contains);
        return hang ? new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE)
                : new MockResponse().setResponseCode(202).setBody("{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\""
                        + key + "\"}");
    }

    /** PagerDuty alerts whose trigger summaries mention {@code about}. */
    public synchronized List<Incident> incidents(String about) {
        return incidents.stream().filter(i -> i.summary != null && i.summary.contains(about)).toList();
    }

    /** Events (trigger, resolve) taken for a dedup key, in order. */
    public synchronized List<String> actions(String dedupKey) {
        return events.stream().filter(e -> e.path("dedup_key").asString("").equals(dedupKey))
                .map(e -> e.path("event_action").asString("")).toList();
    }

    public synchronized List<JsonNode> changes() {
        return List.copyOf(changes);
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
