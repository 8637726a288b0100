package dev.ghost.relay.event;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamInfo;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.ghost.common.redis.RedisKeys;
import dev.ghost.relay.RelayKeys;

/**
 * The Redis side of the hub: per subscriber a stream outbox read through the consumer group
 * {@value #GROUP}, a dead-letter stream, a delivery lease and a state hash (see {@link RedisKeys}).
 * Delivered entries are XACKed and XDELed together, so an outbox holds only undelivered work and
 * its length is the backlog.
 */
public class Outbox {

    static final String GROUP = "relay";
    private static final Duration STATE_TTL = Duration.ofDays(30);

    /**
     * XACK + XDEL in one step (an entry is never acknowledged yet still counted as pending), and the
     * delivery counted in the state hash, in the same round trip.
     */
    private static final RedisScript<Long> ACK_AND_DELETE = RedisScript.of("""
            redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 4))
            local deleted = redis.call('XDEL', KEYS[1], unpack(ARGV, 4))
            redis.call('HINCRBY', KEYS[2], 'delivered', deleted)
            redis.call('HSET', KEYS[2], 'retrying', '0', 'attempts', '0', 'nextAttemptAt', '', 'lastDeliveredAt', ARGV[2])
            redis.call('EXPIRE', KEYS[2], ARGV[3])
            return deleted
            """, Long.class);

    /** Moves one entry from the outbox to the dead-letter stream, atomically. */
    private static final RedisScript<String> BURY = RedisScript.of("""
            local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'id', ARGV[4], 'type', ARGV[5],
              'event', ARGV[6], 'attempts', ARGV[7], 'error', ARGV[8], 'outboxId', ARGV[2])
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            redis.call('XDEL', KEYS[1], ARGV[2])
            return id
            """, String.class);

    /** Moves one dead letter back to the tail of the outbox, atomically; nil when it is gone. */
    private static final RedisScript<String> RESURRECT = RedisScript.of("""
            local entries = redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[1])
            if #entries == 0 then return false end
            local fields = entries[1][2]
            local values = {}
            for i = 1, #fields, 2 do values[fields[i]] = fields[i + 1] end
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'id', values['id'], 'type', values['type'],
              'event', values['event'])
            redis.call('XDEL', KEYS[2], ARGV[1])
            return id
            """, String.class);

    /** One XAUTOCLAIM round (ids only): answers the next cursor and how many entries changed hands. */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> AUTOCLAIM = RedisScript.of("""
            local reply = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'COUNT', 1000, 'JUSTID')
            return {reply[1], #reply[2]}
            """, List.class);

    private static final RedisScript<Long> RENEW = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """, Long.class);

    private static final RedisScript<Long> RELEASE = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """, Long.class);

    /** An undelivered event as stored: the stream entry id, the event's own id and type, its JSON. */
    public record Entry(String entryId, String eventId, String type, String json) {
    }

    /** An event bound for one subscriber. */
    public record Routed(String subscriber, String eventId, String type, String json) {
    }

    private final StringRedisTemplate redis;
    private final EventsProperties.Delivery settings;

    public Outbox(StringRedisTemplate redis, EventsProperties properties) {
        this.redis = redis;
        this.settings = properties.events();
    }

    /** Creates the subscriber's outbox and consumer group if missing (from the start, so nothing already there is skipped). */
    public void ensureGroup(String subscriber) {
        try {
            redis.execute((RedisCallback<Object>) connection -> connection.execute("XGROUP",
                    bytes("CREATE"), bytes(RelayKeys.outbox(subscriber)), bytes(GROUP), bytes("0"), bytes("MKSTREAM")));
        } catch (RedisSystemException e) {
            if (!String.valueOf(e.getMostSpecificCause().getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** Appends events to the audit stream and to each subscriber's outbox, in one round trip. */
    public void append(List<Routed> routed, List<Entry> audit) {
        redis.executePipelined((RedisCallback<Object>) connection -> {
            for (Entry event : audit) {
                connection.streamCommands().xAdd(MapRecord.create(bytes(RedisKeys.EVENTS),
                                Map.of(bytes("type"), bytes(event.type()), bytes("event"), bytes(event.json()))),
                        XAddOptions.maxlen(100_000).approximateTrimming(true));
            }
            for (Routed event : routed) {
                Map<byte[], byte[]> fields = new LinkedHashMap<>();
                fields.put(bytes("id"), bytes(event.eventId()));
                fields.put(bytes("type"), bytes(event.type()));
                fields.put(bytes("event"), bytes(event.json()));
                connection.streamCommands().xAdd(MapRecord.create(bytes(RelayKeys.outbox(event.subscriber())), fields),
                        XAddOptions.maxlen(settings.outboxMaxLength()).approximateTrimming(true));
            }
            return null;
        });
    }

    /** Entries this consumer read before and has not acknowledged, oldest first. */
    public List<Entry> readPending(String subscriber, String consumer, int count) {
        return read(subscriber, consumer, count, ReadOffset.from("0"));
    }

    /** Entries no consumer has read yet, oldest first; they become this consumer's pending entries. */
    public List<Entry> readNew(String subscriber, String consumer, int count) {
        return read(subscriber, consumer, count, ReadOffset.lastConsumed());
    }

    private List<Entry> read(String subscriber, String consumer, int count, ReadOffset offset) {
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().read(Consumer.from(GROUP, consumer),
                StreamReadOptions.empty().count(count), StreamOffset.create(RelayKeys.outbox(subscriber), offset));
        List<Entry> entries = new ArrayList<>(records == null ? 0 : records.size());
        if (records != null) {
            for (MapRecord<String, Object, Object> record : records) {
                Map<Object, Object> value = record.getValue();
                if (value.isEmpty()) {
                    continue; // trimmed away (outbox cap) after it was read; nothing left to send
                }
                entries.add(new Entry(record.getId().getValue(), (String) value.get("id"), (String) value.get("type"),
                        (String) value.get("event")));
            }
        }
        return entries;
    }

    /** Delivered: gone from the outbox, counted, and the subscriber's failure state cleared. */
    public void acknowledge(String subscriber, List<Entry> entries) {
        List<String> args = new ArrayList<>(entries.size() + 3);
        args.add(GROUP);
        args.add(Instant.now().toString());
        args.add(String.valueOf(STATE_TTL.toSeconds()));
        entries.forEach(entry -> args.add(entry.entryId()));
        redis.execute(ACK_AND_DELETE, List.of(RelayKeys.outbox(subscriber), RelayKeys.deliveryState(subscriber)),
                args.toArray());
    }

    /** Parks an entry the subscriber kept refusing; answers the dead-letter id. */
    public String bury(String subscriber, Entry entry, int attempts, String error) {
        return redis.execute(BURY, List.of(RelayKeys.outbox(subscriber), RelayKeys.deadLetters(subscriber)),
                GROUP, entry.entryId(), String.valueOf(settings.deadLetterMaxLength()), entry.eventId(), entry.type(),
                entry.json(), String.valueOf(attempts), error);
    }

    /** Sends a dead letter again (it joins the tail of the outbox); empty when no such dead letter. */
    public Optional<String> resurrect(String subscriber, String deadLetterId) {
        return Optional.ofNullable(redis.execute(RESURRECT,
                List.of(RelayKeys.outbox(subscriber), RelayKeys.deadLetters(subscriber)),
                deadLetterId, String.valueOf(settings.outboxMaxLength())));
    }

    /** Dead letters, newest first. */
    public List<MapRecord<String, Object, Object>> deadLetters(String subscriber, int limit) {
        List<MapRecord<String, Object, Object>> records = redis.opsForStream()
                .reverseRange(RelayKeys.deadLetters(subscriber), Range.unbounded(), Limit.limit().count(limit));
        return records == null ? List.of() : records;
    }

    /**
     * Takes over every entry another consumer (a relay instance that died or restarted under another
     * name) read and never acknowledged; safe only while holding the delivery lease. Then forgets
     * consumers that hold nothing, so the group does not collect one per past relay.
     */
    public long takeOver(String subscriber, String consumer) {
        String key = RelayKeys.outbox(subscriber);
        long claimed = 0;
        String cursor = "0-0";
        do {
            List<?> reply = redis.execute(AUTOCLAIM, List.of(key), GROUP, consumer, cursor);
            cursor = String.valueOf(reply.get(0));
            claimed += ((Number) reply.get(1)).longValue();
        } while (!"0-0".equals(cursor));
        StreamInfo.XInfoConsumers consumers = redis.opsForStream().consumers(key, GROUP);
        consumers.forEach(other -> {
            if (!other.consumerName().equals(consumer) && other.pendingCount() == 0) {
                redis.opsForStream().deleteConsumer(key, Consumer.from(GROUP, other.consumerName()));
            }
        });
        return claimed;
    }

    public boolean acquireLease(String subscriber, String holder) {
        return Boolean.TRUE.equals(redis.opsForValue()
                .setIfAbsent(RelayKeys.deliveryLease(subscriber), holder, settings.lease()));
    }

    public boolean renewLease(String subscriber, String holder) {
        Long renewed = redis.execute(RENEW, List.of(RelayKeys.deliveryLease(subscriber)), holder,
                String.valueOf(settings.lease().toMillis()));
        return renewed != null && renewed == 1;
    }

    public void releaseLease(String subscriber, String holder) {
        redis.execute(RELEASE, List.of(RelayKeys.deliveryLease(subscriber)), holder);
    }

    public String leaseHolder(String subscriber) {
        return redis.opsForValue().get(RelayKeys.deliveryLease(subscriber));
    }

    /** Records delivery state for /events/stats (shared by every relay instance). */
    public void recordState(String subscriber, Map<String, String> fields, long buriedIncrement) {
        String key = RelayKeys.deliveryState(subscriber);
        redis.executePipelined((RedisCallback<Object>) connection -> {
            if (!fields.isEmpty()) {
                Map<byte[], byte[]> raw = new LinkedHashMap<>();
                fields.forEach((field, value) -> raw.put(bytes(field), bytes(value)));
                connection.hashCommands().hMSet(bytes(key), raw);
            }
            if (buriedIncrement > 0) {
                connection.hashCommands().hIncrBy(bytes(key), bytes("deadLetteredTotal"), buriedIncrement);
            }
            connection.keyCommands().expire(bytes(key), STATE_TTL.toSeconds());
            return null;
        });
    }

    public Map<Object, Object> state(String subscriber) {
        return redis.opsForHash().entries(RelayKeys.deliveryState(subscriber));
    }

    public long pending(String subscriber) {
        Long size = redis.opsForStream().size(RelayKeys.outbox(subscriber));
        return size == null ? 0 : size;
    }

    public long deadLetterCount(String subscriber) {
        Long size = redis.opsForStream().size(RelayKeys.deadLetters(subscriber));
        return size == null ? 0 : size;
    }

    /** When the oldest undelivered event entered the outbox (stream ids start with milliseconds). */
    public Optional<Instant> oldestPending(String subscriber) {
        List<MapRecord<String, Object, Object>> first = redis.opsForStream()
                .range(RelayKeys.outbox(subscriber), Range.unbounded(), Limit.limit().count(1));
        if (first == null || first.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(first.get(0).getId().getTimestamp()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
