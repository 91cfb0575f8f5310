package dev.hone.logging;

import dev.hone.exec.Masks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of the log on their way out, held to the end of each line and written with every secret masked: what
 * Hone, a library or an exception says, a secret never reaches the output.
 */
final class MaskedLines extends OutputStream {

    private final OutputStream out;
    private final Masks masks;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    MaskedLines(OutputStream out, Masks masks) {
        this.out = out;
        this.masks = masks;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (line.size() > 0) {
            emit();
        }
        out.flush();
    }

    private void emit() throws IOException {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        out.write(masks.apply(text).getBytes(StandardCharsets.UTF_8));
    }
}
