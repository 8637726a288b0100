package dev.ghost.common.session;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.security.GhostAuthentication;
import dev.ghost.common.security.GhostPrincipal;
import dev.ghost.common.security.Role;

/**
 * Session values as JSON with an explicit type, never Java serialization: what a session holds is
 * its timestamps and, once signed in, who it belongs to. Anything else read from Redis (a value
 * planted there by someone who can write to it, a Java-serialized object) is refused, not
 * deserialized: {@link SerializationException}, which {@link UnreadableSessions} turns into "no session".
 */
public class JsonSessionSerializer implements RedisSerializer<Object> {

    private final JsonMapper json;

    public JsonSessionSerializer(JsonMapper json) {
        this.json = json;
    }

    @Override
    public byte[] serialize(Object value) {
        if (value == null) {
            return null;
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        if (value instanceof Long number) {
            typed.put("long", number);
        } else if (value instanceof Integer number) {
            typed.put("int", number);
        } else if (value instanceof String text) {
            typed.put("string", text);
        } else if (value instanceof Boolean flag) {
            typed.put("boolean", flag);
        } else if (value instanceof SecurityContext context && context.getAuthentication() instanceof GhostAuthentication authentication) {
            GhostPrincipal principal = authentication.getPrincipal();
            Map<String, Object> who = new LinkedHashMap<>();
            who.put("name", principal.name());
            who.put("roles", new TreeSet<>(principal.roles().stream().map(Role::name).toList()));
            who.put("credential", principal.credential());
            typed.put("principal", who);
        } else {
            throw new SerializationException("GHOST keeps no " + value.getClass().getName() + " in a session");
        }
        return json.writeValueAsBytes(typed);
    }

    @Override
    public Object deserialize(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        if (bytes[0] != '{') {
            throw new SerializationException("not a session value GHOST wrote (" + bytes.length + " bytes)");
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JacksonException e) {
            throw new SerializationException("not a session value GHOST wrote", e);
        }
        if (node.size() != 1) {
            throw new SerializationException("not a session value GHOST wrote");
        }
        String type = node.propertyNames().iterator().next();
        JsonNode value = node.get(type);
        return switch (type) {
            case "long" -> value.asLong();
            case "int" -> value.asInt();
            case "string" -> value.asString();
            case "boolean" -> value.asBoolean();
            case "principal" -> context(value);
            default -> throw new SerializationException("not a session value GHOST wrote: " + type);
        };
    }

    private static SecurityContext context(JsonNode who) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        try {
            who.path("roles").forEach(role -> roles.add(Role.valueOf(role.asString())));
        } catch (IllegalArgumentException e) {
            throw new SerializationException("unknown role in a session", e);
        }
        JsonNode credential = who.get("credential");
        GhostPrincipal principal = new GhostPrincipal(who.path("name").asString(), roles,
                credential == null || credential.isNull() ? null : credential.asString());
        return new SecurityContextImpl(new GhostAuthentication(principal));
    }
}
