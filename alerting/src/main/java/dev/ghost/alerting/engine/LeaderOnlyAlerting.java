package dev.ghost.alerting.engine;

import dev.ghost.alerting.outbox.OutboxWorkers;
import dev.ghost.common.leader.Leadership;

/**
 * In a pair, only the leader decides and sends: its loop restores the alerts and groups from Redis
 * when it takes over, and its workers deliver what the outbox holds, including what the previous
 * leader queued and never delivered. The standby keeps neither running, so nothing is decided or
 * sent twice; signals it is handed are refused and sent again by their senders.
 */
public class LeaderOnlyAlerting implements Leadership.Listener {

    private final AlertingLoop loop;
    private final OutboxWorkers workers;

    public LeaderOnlyAlerting(AlertingLoop loop, OutboxWorkers workers) {
        this.loop = loop;
        this.workers = workers;
    }

    /** Takes the loop and the workers out of Spring's start-up: the election starts them. */
    public static void follow(Leadership leadership, AlertingLoop loop, OutboxWorkers workers) {
        loop.setAutoStartup(false);
        workers.setAutoStartup(false);
        leadership.onChange(new LeaderOnlyAlerting(loop, workers));
    }

    @Override
    public void granted() {
        workers.start();
        loop.start();
    }

    @Override
    public void revoked() {
        loop.stop();
        workers.stop();
    }
}
