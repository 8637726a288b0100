package dev.ghost.common.leader;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.ApplicationListener;
import org.springframework.integration.leader.event.AbstractLeaderEvent;
import org.springframework.integration.leader.event.OnGrantedEvent;

/**
 * Whether this member leads its service's members (its role is the service's name): only the
 * leader acts on shared state — probes' news, alerts, notifications — while the others stay warm
 * and take over when the leader's lock in Redis expires. The election is Spring Integration's
 * {@code LockRegistryLeaderInitiator} on a {@code RedisLockRegistry}; this class only keeps its
 * outcome at hand and tells those who act. {@code /actuator/info} says who this member is and
 * whether it leads ({@code ./ghost status} shows it).
 */
public class Leadership implements ApplicationListener<AbstractLeaderEvent>, InfoContributor {

    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    /** Told on the election's own thread: quick work only (start or stop a loop). */
    public interface Listener {

        void granted();

        void revoked();
    }

    private final String role;
    private final String member;
    private final Clock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final boolean elected;
    private volatile boolean leader;
    private volatile Instant since;

    /** A member whose leadership an election decides. */
    public Leadership(String role, String member, Clock clock) {
        this(role, member, clock, true);
    }

    private Leadership(String role, String member, Clock clock, boolean elected) {
        this.role = role;
        this.member = member;
        this.clock = clock;
        this.elected = elected;
        this.leader = !elected;
        this.since = clock.instant();
    }

    /** A member that is always the leader: elections are off ({@code ghost.leader.enabled=false}). */
    public static Leadership alone(String role, String member, Clock clock) {
        return new Leadership(role, member, clock, false);
    }

    /** Whether an election decides; if not, this member always leads and nothing needs to follow it. */
    public boolean isElected() {
        return elected;
    }

    public boolean isLeader() {
        return leader;
    }

    public String role() {
        return role;
    }

    public String member() {
        return member;
    }

    /** Adds a listener; told at once if this member already leads. */
    public synchronized void onChange(Listener listener) {
        listeners.add(listener);
        if (leader) {
            listener.granted();
        }
    }

    @Override
    public synchronized void onApplicationEvent(AbstractLeaderEvent event) {
        if (!role.equals(event.getRole())) {
            return;
        }
        boolean granted = event instanceof OnGrantedEvent;
        if (granted == leader) {
            return;
        }
        leader = granted;
        since = clock.instant();
        log.info("{} {} leadership of {}", member, granted ? "took" : "lost", role);
        for (Listener listener : listeners) {
            try {
                if (granted) {
                    listener.granted();
                } else {
                    listener.revoked();
                }
            } catch (RuntimeException e) {
                log.error("A leadership listener failed on {}", granted ? "grant" : "revoke", e);
            }
        }
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("role", role);
        details.put("member", member);
        details.put("leader", leader);
        details.put("elected", elected);
        details.put("since", since.toString());
        builder.withDetail("leadership", details);
    }
}
