package dev.ghost.ml.cli;

import java.io.PrintStream;

/**
 * A progress bar on stderr for long inputs (by bytes read), redrawn at most a few times a second;
 * silent for inputs that finish in a blink.
 */
final class Progress {

    static final long LONG_INPUT_BYTES = 4L << 20;
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final long totalBytes;
    private final boolean enabled;
    private long lastDraw;
    private boolean drawn;

    Progress(PrintStream err, long totalBytes) {
        this.err = err;
        this.totalBytes = Math.max(1, totalBytes);
        this.enabled = totalBytes >= LONG_INPUT_BYTES;
    }

    void update(long bytesDone, String label) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (drawn && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        drawn = true;
        int percent = (int) Math.min(100, bytesDone * 100 / totalBytes);
        int filled = percent * WIDTH / 100;
        err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "% " + label);
        err.flush();
    }

    void finish(String label) {
        if (enabled) {
            err.println("\r[" + "#".repeat(WIDTH) + "] 100% " + label);
        }
    }
}
