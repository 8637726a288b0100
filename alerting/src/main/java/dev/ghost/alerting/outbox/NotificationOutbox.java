package dev.ghost.alerting.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.notify.Notification;
import dev.ghost.alerting.redis.AlertingKeys;

/**
 * The durable path to the channels: one Redis stream per receiver read through a consumer group, and
 * one status key per notification id. Queueing is a single script that creates the status key
 * only if the id is new and then appends to the stream, so a notification decided twice (a
 * restart replaying the same decision) is queued once; delivery acknowledges only after the channel
 * accepted, so what was queued survives any restart.
 */
public class NotificationOutbox {

    private static final Logger log = LoggerFactory.getLogger(NotificationOutbox.class);

    static final String GROUP = "deliver";
    /** One active delivering instance per receiver: a restarted instance takes over its own pending entries. */
    static final String CONSUMER = "deliverer";

    private static final DefaultRedisScript<Long> ENQUEUE = new DefaultRedisScript<>("""
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
              redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'n', ARGV[4])
              return 1
            end
            return 0
            """, Long.class);

    /** An entry read from a receiver's stream. */
    public record Entry(String recordId, Notification notification) {
    }

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration idempotencyTtl;
    private final int maxLength;
    private final AlertingKeys keys;

    public NotificationOutbox(StringRedisTemplate redis, JsonMapper json, Clock clock, AlertingKeys keys, Duration idempotencyTtl,
            int maxLength) {
        this.keys = keys;
        this.redis = redis;
        this.json = json;
        this.clock = clock;
        this.idempotencyTtl = idempotencyTtl;
        this.maxLength = maxLength;
    }

    /** Queues it unless its id was queued before; answers whether it was new. */
    public boolean enqueue(Notification notification) {
        Long added = redis.execute(ENQUEUE,
                List.of(keys.notification(notification.id()), keys.outbox(notification.receiver())),
                json.writeValueAsString(DeliveryStatus.queued(notification, clock.instant())),
                String.valueOf(idempotencyTtl.toMillis()), String.valueOf(maxLength), json.writeValueAsString(notification));
        return added != null && added == 1L;
    }

    public void ensureGroup(String receiver) {
        byte[] key = keys.outbox(receiver).getBytes(StandardCharsets.UTF_8);
        try {
            redis.execute((RedisCallback<String>) connection ->
                    connection.streamCommands().xGroupCreate(key, GROUP, ReadOffset.from("0"), true));
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("BUSYGROUP") && !causeSays(e, "BUSYGROUP")) {
                throw e;
            }
        }
    }

    private static boolean causeSays(Throwable e, String text) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains(text)) {
                return true;
            }
        }
        return false;
    }

    /** Entries read before but not acknowledged (an interrupted delivery, e.g. across a restart), oldest first. */
    public List<Entry> pending(String receiver, int count) {
        return read(receiver, count, ReadOffset.from("0"));
    }

    /** Entries never read yet, oldest first. */
    public List<Entry> fresh(String receiver, int count) {
        return read(receiver, count, ReadOffset.lastConsumed());
    }

    private List<Entry> read(String receiver, int count, ReadOffset offset) {
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().read(Consumer.from(GROUP, CONSUMER),
                StreamReadOptions.empty().count(count), StreamOffset.create(keys.outbox(receiver), offset));
        if (records == null) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        for (MapRecord<String, Object, Object> record : records) {
            try {
                entries.add(new Entry(record.getId().getValue(), json.readValue((String) record.getValue().get("n"), Notification.class)));
            } catch (RuntimeException unreadable) {
                // written by an incompatible version, or damaged: set aside rather than block the receiver for ever
                log.error("Outbox entry {} of {} unreadable ({}); moved to the dead letters", record.getId(), receiver,
                        unreadable.getMessage());
                redis.opsForStream().add(StreamRecords.newRecord().in(keys.deadLetters())
                                .ofMap(Map.of("raw", String.valueOf(record.getValue()), "reason", "unreadable")),
                        XAddOptions.maxlen(1000).approximateTrimming(true));
                ack(receiver, record.getId().getValue());
            }
        }
        return entries;
    }

    /** Done with it: acknowledged and removed from the stream. */
    public void ack(String receiver, String recordId) {
        String key = keys.outbox(receiver);
        redis.opsForStream().acknowledge(key, GROUP, recordId);
        redis.opsForStream().delete(key, recordId);
    }

    public Optional<DeliveryStatus> status(String id) {
        String text = redis.opsForValue().get(keys.notification(id));
        return Optional.ofNullable(text).map(t -> json.readValue(t, DeliveryStatus.class));
    }

    /** Records a new status, keeping the key's expiry (the idempotency window starts at queueing). */
    public void update(DeliveryStatus status) {
        byte[] key = keys.notification(status.id()).getBytes(StandardCharsets.UTF_8);
        byte[] value = json.writeValueAsString(status).getBytes(StandardCharsets.UTF_8);
        Boolean updated = redis.execute((RedisCallback<Boolean>) connection ->
                connection.stringCommands().set(key, value, Expiration.keepTtl(), SetOption.ifPresent()));
        if (!Boolean.TRUE.equals(updated)) {
            // the record expired (a very old entry): keep the answer for another window
            redis.opsForValue().set(keys.notification(status.id()), new String(value, StandardCharsets.UTF_8),
                    idempotencyTtl);
        }
    }

    /** Records the delivery and acknowledges the entry, in one round trip. */
    public void delivered(DeliveryStatus status, String receiver, String recordId) {
        byte[] statusKey = bytes(keys.notification(status.id()));
        byte[] value = bytes(json.writeValueAsString(status));
        byte[] stream = bytes(keys.outbox(receiver));
        RecordId id = RecordId.of(recordId);
        redis.executePipelined((RedisCallback<Object>) connection -> {
            connection.stringCommands().set(statusKey, value, Expiration.keepTtl(), SetOption.upsert());
            connection.streamCommands().xAck(stream, GROUP, id);
            connection.streamCommands().xDel(stream, id);
            return null;
        });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public void deadLetter(Notification notification, String reason) {
        redis.opsForStream().add(StreamRecords.newRecord().in(keys.deadLetters())
                        .ofMap(Map.of("n", json.writeValueAsString(notification), "reason", reason)),
                XAddOptions.maxlen(1000).approximateTrimming(true));
    }

    /** Entries waiting in a receiver's stream (read or not). */
    public long backlog(String receiver) {
        Long size = redis.opsForStream().size(keys.outbox(receiver));
        return size == null ? 0 : size;
    }
}
