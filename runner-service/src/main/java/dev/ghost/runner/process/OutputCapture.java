package dev.ghost.runner.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a command's combined output to the end: the first part goes to the log as it arrives
 * (so the log can be followed live), the last part is kept in a ring and appended at the end,
 * and what lies between is cut and replaced by a marker saying how much. Memory is bounded by
 * the limit whatever the command prints.
 */
final class OutputCapture {

    private final OutputStream log;
    private final long headLimit;
    private final Ring rest;
    private final Ring tail;
    private long total;

    OutputCapture(OutputStream log, long limit, int tailBytes) {
        this.log = log;
        int restBytes = (int) Math.min(Integer.MAX_VALUE - 8, limit / 4);
        this.headLimit = limit - restBytes;
        this.rest = new Ring(restBytes);
        this.tail = new Ring(tailBytes);
    }

    /** Copies {@code in} until end of stream; write failures of the log are the caller's to see. */
    void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            accept(buffer, read);
        }
    }

    private synchronized void accept(byte[] buffer, int length) throws IOException {
        int toHead = (int) Math.max(0, Math.min(length, headLimit - total));
        if (toHead > 0) {
            log.write(buffer, 0, toHead);
            log.flush();
        }
        if (toHead < length) {
            rest.write(buffer, toHead, length - toHead);
        }
        tail.write(buffer, 0, length);
        total += length;
    }

    /** Writes the kept end of the output (after a cut marker if something was dropped). */
    synchronized void finish() throws IOException {
        long cut = rest.overflow();
        if (cut > 0) {
            log.write(("\n[ghost: " + cut + " bytes of output cut here; kept the first " + headLimit
                    + " and the last " + rest.size() + " of " + total + " bytes]\n").getBytes(StandardCharsets.UTF_8));
        }
        log.write(rest.bytes());
        log.flush();
    }

    synchronized long totalBytes() {
        return total;
    }

    /** The last bytes of the output as text (a partial first character becomes U+FFFD). */
    synchronized String tail() {
        return new String(tail.bytes(), StandardCharsets.UTF_8);
    }

    /** Keeps the last {@code capacity} bytes written. */
    private static final class Ring {
        private final byte[] data;
        private long written;

        Ring(int capacity) {
            data = new byte[capacity];
        }

        void write(byte[] source, int offset, int length) {
            if (data.length == 0) {
                written += length;
                return;
            }
            for (int i = Math.max(0, length - data.length); i < length; i++) {
                data[(int) ((written + i) % data.length)] = source[offset + i];
            }
            written += length;
        }

        int size() {
            return (int) Math.min(written, data.length);
        }

        long overflow() {
            return Math.max(0, written - data.length);
        }

        byte[] bytes() {
            int size = size();
            byte[] out = new byte[size];
            long start = written - size;
            for (int i = 0; i < size; i++) {
                out[i] = data[(int) ((start + i) % data.length)];
            }
            return out;
        }
    }
}
