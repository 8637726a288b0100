package dev.ghost.alerting.test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import javax.net.ServerSocketFactory;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local server speaking Slack's protocol: incoming webhooks ({@code POST /services/...}, JSON,
 * answers {@code ok}) and the Web API ({@code POST /api/chat.postMessage}, {@code /api/chat.update}
 * and {@code /api/conversations.history}, form-encoded with a bearer token, answering Slack's
 * JSON; posted messages are kept with their metadata, as a channel keeps them). Records every
 * request; can be told to answer the next requests with 429 and Retry-After, a 5xx, or not at all:
 * a hang before Slack took the request ({@link #thenHang}), or after ({@link #thenHangAfterTaking},
 * {@link #hangAfterTakingAlways}: the message is there, the answer never comes).
 */
public final class SlackStandIn implements AutoCloseable {

    public static final String WEBHOOK_SECRET = "T0GHOST/B0ALERTS/sEcReTwEbHoOkToKeN42";
    public static final String ONCALL_SECRET = "T0GHOST/B0ONCALL/oNcAlLsEcReTtOkEn77";
    public static final String BOT_TOKEN = "xoxb-1111-2222-sEcReTbOtToKeN";
    /** Where interaction payloads' {@code response_url}s point (Slack's are https://hooks.slack.com/actions/...). */
    public static final String RESPONSE_URL_PATH = "/actions/";

    /** A Block Kit button as Slack shows it. */
    public record Button(String blockId, String actionId, String label, String value, String url) {
    }
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One request Slack received and what it answered. */
    public record Received(Instant at, long nanos, String method, String path, String authorization, String text,
            String attachments, Map<String, String> form, int answered, String reply, boolean taken) {

        public boolean delivered() {
            return answered == 200;
        }

        /** The whole message as text: its fallback line and every block. */
        public String content() {
            return text + "\n" + attachments;
        }

        public boolean update() {
            return path.endsWith("chat.update");
        }

        /** A new message people see: a webhook post or a chat.postMessage that Slack took (answered or not). */
        public boolean newMessage() {
            return taken && !update() && !path.contains("conversations.") && !responseUrl();
        }

        /** A post to an interaction's {@code response_url} (an ephemeral reply, or a replacement of the message). */
        public boolean responseUrl() {
            return path.startsWith(RESPONSE_URL_PATH);
        }

        /** The message's timestamp (ts): from Slack's answer to a chat.postMessage, or the ts a chat.update named. */
        public String ts() {
            if (update()) {
                return form.get("ts");
            }
            return reply == null || reply.isBlank() ? null : JSON.readTree(reply).path("ts").asString(null);
        }

        /** The Block Kit buttons of the message, in order. */
        public List<Button> buttons() {
            List<Button> buttons = new ArrayList<>();
            if (attachments == null || attachments.isBlank()) {
                return buttons;
            }
            for (JsonNode attachment : JSON.readTree(attachments)) {
                for (JsonNode block : attachment.path("blocks")) {
                    if (!"actions".equals(block.path("type").asString(""))) {
                        continue;
                    }
                    for (JsonNode element : block.path("elements")) {
                        if ("button".equals(element.path("type").asString(""))) {
                            buttons.add(new Button(block.path("block_id").asString(null), element.path("action_id").asString(null),
                                    element.path("text").path("text").asString(""), element.path("value").asString(null),
                                    element.path("url").asString(null)));
                        }
                    }
                }
            }
            return buttons;
        }

        /** The button labelled {@code label}; fails when the message has none. */
        public Button button(String label) {
            return buttons().stream().filter(b -> b.label().equals(label)).findFirst()
                    .orElseThrow(() -> new AssertionError("no button '" + label + "' in " + buttons() + ":\n" + content()));
        }

        public boolean toOncall() {
            return path.contains(ONCALL_SECRET) || "#oncall".equals(form.get("channel"));
        }
    }

    private enum Kind { OK, STATUS, HANG, HANG_TAKEN }

    /** What to answer, to requests whose content contains {@code about} (null: any request). */
    private record Behaviour(Kind kind, int status, String retryAfter, String about) {

        boolean applies(String content) {
            return about == null || content.contains(about);
        }
    }

    private final MockWebServer server = new MockWebServer();
    private final List<Received> received = new ArrayList<>();
    private final List<Behaviour> script = new ArrayList<>();
    private final AtomicLong ts = new AtomicLong(1_700_000_000_000_000L);
    /** The channel's messages as conversations.history lists them (JSON objects), oldest first. */
    private final List<Map<String, Object>> channelMessages = new ArrayList<>();
    private Behaviour always = new Behaviour(Kind.OK, 200, null, null);

    public SlackStandIn() {
        // Answer without Nagle's delay (status line and body go out in separate writes; with the client's delayed
        // ACK that costs ~40 ms per call on Linux, which real Slack does not).
        server.setServerSocketFactory(new ServerSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                return new ServerSocket() {
                    @Override
                    public Socket accept() throws IOException {
                        Socket socket = super.accept();
                        socket.setTcpNoDelay(true);
                        return socket;
                    }
                };
            }

            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                throw new UnsupportedOperationException();
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog) throws IOException {
                throw new UnsupportedOperationException();
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog, java.net.InetAddress address) throws IOException {
                throw new UnsupportedOperationException();
            }
        });
        StandInServer.start(server, this::answer);
    }

    public String webhookUrl() {
        return server.url("/services/" + WEBHOOK_SECRET).toString();
    }

    /** A second webhook (another channel), to see where routing sent a message. */
    public String oncallWebhookUrl() {
        return server.url("/services/" + ONCALL_SECRET).toString();
    }

    public String apiUrl() {
        return server.url("/api/").toString();
    }

    /** The prefix of the response URLs {@link SlackInteractions} hands out (what GHOST may post replies to). */
    public String responseUrlPrefix() {
        return server.url(RESPONSE_URL_PATH).toString();
    }

    /** A fresh response URL, as Slack puts one in each interaction payload. */
    public String newResponseUrl() {
        return server.url(RESPONSE_URL_PATH + "T0GHOST/" + ts.incrementAndGet() + "/rEsPoNsE").toString();
    }

    /** Replies posted to response URLs (ephemeral messages to the one who clicked), oldest first. */
    public synchronized List<Received> responses() {
        return received.stream().filter(Received::responseUrl).toList();
    }

    /**
     * The next {@code times} requests about {@code about} (their content contains it) get HTTP
     * {@code status}, with Retry-After seconds if given.
     */
    public synchronized SlackStandIn thenAnswer(String about, int status, Integer retryAfterSeconds, int times) {
        for (int i = 0; i < times; i++) {
            script.add(new Behaviour(Kind.STATUS, status, retryAfterSeconds == null ? null : retryAfterSeconds.toString(), about));
        }
        return this;
    }

    /** The next {@code times} requests about {@code about} get no answer at all. */
    public synchronized SlackStandIn thenHang(String about, int times) {
        for (int i = 0; i < times; i++) {
            script.add(new Behaviour(Kind.HANG, 0, null, about));
        }
        return this;
    }

    /** The next {@code times} requests about {@code about} are taken (the message is posted) but never answered. */
    public synchronized SlackStandIn thenHangAfterTaking(String about, int times) {
        for (int i = 0; i < times; i++) {
            script.add(new Behaviour(Kind.HANG_TAKEN, 0, null, about));
        }
        return this;
    }

    /** Until told otherwise, every request is taken and never answered: the client times out every time. */
    public synchronized void hangAfterTakingAlways() {
        always = new Behaviour(Kind.HANG_TAKEN, 0, null, null);
    }

    /** Until told otherwise, every request gets {@code status} (e.g. 503: Slack down). */
    public synchronized void down(int status) {
        always = new Behaviour(Kind.STATUS, status, null, null);
    }

    public synchronized void up() {
        always = new Behaviour(Kind.OK, 200, null, null);
    }

    private MockResponse answer(RecordedRequest request) {
        String body = request.getBody().readUtf8();
        String path = request.getPath() == null ? "" : request.getPath();
        String text;
        String attachments;
        Map<String, String> form = Map.of();
        if (path.startsWith("/api/")) {
            form = form(body);
            text = form.getOrDefault("text", "");
            String raw = form.getOrDefault("attachments", "");
            attachments = raw.isEmpty() ? "" : JSON.readTree(raw).toString(); // as Slack reads it: escapes undone
        } else {
            JsonNode json = JSON.readTree(body);
            text = json.path("text").asString("");
            attachments = json.path("attachments").toString();
            if (path.startsWith(RESPONSE_URL_PATH)) {
                form = Map.of("response_type", json.path("response_type").asString(""),
                        "replace_original", json.path("replace_original").asString(""));
            }
        }
        Behaviour behaviour = next(text + "\n" + attachments);
        int status = behaviour.kind == Kind.OK ? 200 : behaviour.kind == Kind.STATUS ? behaviour.status : 0;
        String reply = "";
        MockResponse response;
        boolean taken = behaviour.kind == Kind.OK || behaviour.kind == Kind.HANG_TAKEN;
        if (taken) {
            reply = okReply(path, form, text);
        }
        if (behaviour.kind == Kind.HANG_TAKEN) {
            reply = "";
            response = new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
        } else if (behaviour.kind == Kind.HANG) {
            reply = "";
            response = new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
        } else if (behaviour.kind == Kind.STATUS) {
            reply = path.startsWith("/api/") ? "{\"ok\":false,\"error\":\"ratelimited\"}" : "rate_limited";
            response = new MockResponse().setResponseCode(behaviour.status).setBody(reply);
            if (behaviour.retryAfter != null) {
                response.setHeader("Retry-After", behaviour.retryAfter);
            }
        } else {
            response = new MockResponse().setResponseCode(200).setBody(reply);
            if (path.startsWith("/api/")) {
                response.setHeader("Content-Type", "application/json");
            }
        }
        synchronized (this) {
            received.add(new Received(Instant.now(), System.nanoTime(), request.getMethod(), path,
                    request.getHeader("Authorization"), text, attachments, form, status, reply, taken));
            notifyAll();
        }
        return response;
    }

    /** What Slack answers once it took the request (and, for a post, what the channel now holds). */
    private synchronized String okReply(String path, Map<String, String> form, String text) {
        if (path.startsWith("/api/chat.postMessage")) {
            long next = ts.incrementAndGet();
            String messageTs = next / 1_000_000 + "." + String.format("%06d", next % 1_000_000);
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("type", "message");
            message.put("ts", messageTs);
            message.put("text", text);
            if (form.containsKey("metadata")) {
                message.put("metadata", JSON.readTree(form.get("metadata")));
            }
            channelMessages.add(message);
            return "{\"ok\":true,\"channel\":\"C0ALERTS\",\"ts\":\"" + messageTs + "\",\"message\":{\"text\":\"\"}}";
        }
        if (path.startsWith("/api/conversations.history")) {
            boolean metadata = List.of("true", "1").contains(form.get("include_all_metadata"));
            List<Map<String, Object>> newestFirst = new ArrayList<>();
            for (Map<String, Object> message : channelMessages) {
                Map<String, Object> listed = new LinkedHashMap<>(message);
                if (!metadata) {
                    listed.remove("metadata");
                }
                newestFirst.add(0, listed);
            }
            return JSON.writeValueAsString(Map.of("ok", true, "messages", newestFirst, "has_more", false));
        }
        if (path.startsWith("/api/chat.update")) {
            return "{\"ok\":true,\"channel\":\"" + form.get("channel") + "\",\"ts\":\"" + form.get("ts") + "\"}";
        }
        return path.startsWith("/api/") ? "{\"ok\":false,\"error\":\"unknown_method\"}" : "ok";
    }

    /** Drops what was scripted for requests about {@code about}. */
    public synchronized void forget(String about) {
        script.removeIf(b -> about.equals(b.about));
    }

    private synchronized Behaviour next(String content) {
        for (var it = script.iterator(); it.hasNext(); ) {
            Behaviour scripted = it.next();
            if (scripted.applies(content)) {
                it.remove();
                return scripted;
            }
        }
        return always;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests about {@code containing} that left a new message in the channel (answered or not): what people saw. */
    public synchronized List<Received> newMessages(String containing) {
        return received.stream().filter(Received::newMessage).filter(r -> r.content().contains(containing)).toList();
    }

    /** Messages Slack accepted whose content matches. */
    public synchronized List<Received> delivered(Predicate<Received> which) {
        return received.stream().filter(Received::delivered).filter(which).toList();
    }

    public synchronized List<Received> delivered(String containing) {
        return delivered(r -> r.content().contains(containing));
    }

    /** Every request (answered or not) whose content matches. */
    public synchronized List<Received> attempts(String containing) {
        return received.stream().filter(r -> r.content().contains(containing)).toList();
    }

    /** Waits up to {@code timeout} for the first delivered message matching; null if none came. */
    public synchronized Received awaitDelivered(String containing, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Received> found = delivered(containing);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
