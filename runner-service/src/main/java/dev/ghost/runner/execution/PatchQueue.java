package dev.ghost.runner.execution;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.ghost.runner.config.RunnerProperties;

/**
 * Order and concurrency: patches for one target run one at a time in submission order; different
 * targets run in parallel on a fixed pool of {@code max-concurrent} workers. A target is handed to
 * the pool only when its previous patch finished, so no worker ever sits waiting for a busy target
 * of this runner. At most {@code queue-capacity} patches wait; a slot is reserved before a
 * submission is recorded, so an accepted patch always has room.
 */
public class PatchQueue {

    private final int capacity;
    private final ThreadPoolExecutor pool;
    private final Map<String, Deque<ActivePatch>> waiting = new HashMap<>();
    private final Set<String> busyTargets = new HashSet<>();
    private final Map<String, ActivePatch> active = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private int queued;
    private Consumer<ActivePatch> worker;

    public PatchQueue(RunnerProperties properties) {
        this.capacity = properties.queueCapacity();
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(properties.maxConcurrent(), properties.maxConcurrent(),
                0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "ghost-patch-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** What runs a dequeued patch (set once, by the execution). */
    void setWorker(Consumer<ActivePatch> worker) {
        this.worker = worker;
    }

    /** Takes a waiting slot; false when the queue is full. */
    public synchronized boolean reserve() {
        if (queued >= capacity) {
            return false;
        }
        queued++;
        return true;
    }

    public synchronized void unreserve() {
        queued--;
    }

    /** Queues a patch whose slot was reserved. */
    public synchronized void enqueue(ActivePatch patch) {
        active.put(patch.id(), patch);
        waiting.computeIfAbsent(patch.target(), target -> new ArrayDeque<>()).add(patch);
        if (!busyTargets.contains(patch.target())) {
            dispatch(patch.target());
        }
    }

    /** Takes a patch out of the queue if it has not started; empty when it already runs (or is unknown). */
    public synchronized Optional<ActivePatch> removeWaiting(String id) {
        for (Deque<ActivePatch> patches : waiting.values()) {
            for (ActivePatch patch : patches) {
                if (patch.id().equals(id)) {
                    patches.remove(patch);
                    queued--;
                    active.remove(id);
                    patch.markEnded();
                    return Optional.of(patch);
                }
            }
        }
        return Optional.empty();
    }

    /** Empties the queue (at shutdown): the patches that had not been handed to a worker. */
    public synchronized List<ActivePatch> drainWaiting() {
        List<ActivePatch> drained = new java.util.ArrayList<>();
        waiting.values().forEach(drained::addAll);
        waiting.clear();
        queued -= drained.size();
        drained.forEach(patch -> {
            active.remove(patch.id());
            patch.markEnded();
        });
        return drained;
    }

    public Optional<ActivePatch> find(String id) {
        return Optional.ofNullable(active.get(id));
    }

    /** Every patch accepted and not finished (waiting or running). */
    public Collection<ActivePatch> active() {
        return List.copyOf(active.values());
    }

    public synchronized int depth() {
        return queued;
    }

    public int running() {
        return running.get();
    }

    private void dispatch(String target) {
        Deque<ActivePatch> patches = waiting.get(target);
        ActivePatch next = patches == null ? null : patches.poll();
        if (next == null) {
            waiting.remove(target);
            return;
        }
        busyTargets.add(target);
        try {
            pool.execute(() -> run(next));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            busyTargets.remove(target); // shutting down; whoever drains the queue ends the patch
            patches.addFirst(next);
        }
    }

    private void run(ActivePatch patch) {
        synchronized (this) {
            queued--;
        }
        running.incrementAndGet();
        try {
            worker.accept(patch);
        } finally {
            running.decrementAndGet();
            synchronized (this) {
                active.remove(patch.id());
                busyTargets.remove(patch.target());
                dispatch(patch.target());
            }
            patch.markEnded();
        }
    }

    /** Stops taking work and waits a while for running patches (which were told to stop) to roll back. */
    public void shutdown(long waitMillis) throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
    }
}
