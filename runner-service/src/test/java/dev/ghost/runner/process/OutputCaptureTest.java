package dev.ghost.runner.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The log keeps the head live and the end at the end, with a marker saying exactly what was cut. */
class OutputCaptureTest {

    /** Hands out at most {@code chunk} bytes per read, like a pipe. */
    private static InputStream chunked(byte[] data, int chunk) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                return super.read(buffer, offset, Math.min(length, chunk));
            }
        };
    }

    private static byte[] numbered(int lines) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= lines; i++) {
            text.append(i).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void shortOutputIsKeptWhole() throws IOException {
        byte[] data = numbered(100);
        for (int chunk : new int[] {1, 7, 8192}) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            OutputCapture capture = new OutputCapture(log, 4096, 64);
            capture.drain(chunked(data, chunk));
            capture.finish();
            assertThat(log.toByteArray()).isEqualTo(data);
            assertThat(capture.totalBytes()).isEqualTo(data.length);
            assertThat(capture.tail()).endsWith("99\n100\n").hasSize(64);
        }
    }

    @Test
    void longOutputKeepsHeadAndTailAndSaysWhatWasCut() throws IOException {
        byte[] data = numbered(100_000); // 588,895 bytes
        for (int chunk : new int[] {13, 8192}) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            OutputCapture capture = new OutputCapture(log, 4000, 100);
            capture.drain(chunked(data, chunk));
            capture.finish();
            String text = log.toString(StandardCharsets.US_ASCII);
            String head = new String(data, 0, 3000, StandardCharsets.US_ASCII);
            String tail = new String(data, data.length - 1000, 1000, StandardCharsets.US_ASCII);
            long cut = data.length - 4000;
            assertThat(text).startsWith(head).endsWith(tail)
                    .contains("[ghost: " + cut + " bytes of output cut here; kept the first 3000 and the last 1000 of " + data.length + " bytes]");
            assertThat(text.length()).isLessThan(4200);
            assertThat(capture.tail()).isEqualTo(new String(data, data.length - 100, 100, StandardCharsets.US_ASCII));
        }
    }
}
