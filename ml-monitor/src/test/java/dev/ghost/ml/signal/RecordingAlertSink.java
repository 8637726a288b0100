package dev.ghost.ml.signal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Keeps the most recent signals in memory (bounded): the tests' probe of what the ML monitor raises. */
public class RecordingAlertSink implements AlertSink {

    static final int CAPACITY = 10_000;

    private final Deque<Signal> recorded = new ArrayDeque<>();

    @Override
    public synchronized void accept(Signal signal) {
        if (recorded.size() == CAPACITY) {
            recorded.removeFirst();
        }
        recorded.addLast(signal);
    }

    public synchronized List<Signal> recorded() {
        return new ArrayList<>(recorded);
    }
}
