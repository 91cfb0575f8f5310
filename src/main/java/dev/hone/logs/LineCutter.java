package dev.hone.logs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Bytes of a log cut into lines: a line ends at {@code \n}, {@code \r\n} or a lone {@code \r} (a progress bar
 * redraws with {@code \r}), and one longer than {@value #MAX_LINE} bytes is cut into pieces (at a character's
 * boundary). What is held between calls is one unfinished line, never more than {@value #MAX_LINE} bytes, and every
 * byte is looked at once. Invalid UTF-8 becomes U+FFFD.
 */
final class LineCutter {

    static final int MAX_LINE = 64 * 1024;

    private final Consumer<String> lines;
    private final byte[] line = new byte[MAX_LINE];
    private int length;
    private boolean afterCarriageReturn;
    private boolean skipping;

    LineCutter(Consumer<String> lines) {
        this.lines = lines;
    }

    /** Drops what comes before the next line ending: for reading that starts in the middle of a line. */
    void skipToNextLine() {
        length = 0;
        skipping = true;
    }

    void accept(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            take(bytes.get());
        }
    }

    /** The bytes ended: an unfinished line is a line. */
    void end() {
        if (length > 0 && !skipping) {
            emit(length);
        }
        length = 0;
        skipping = false;
        afterCarriageReturn = false;
    }

    private void take(byte b) {
        boolean afterReturn = afterCarriageReturn;
        afterCarriageReturn = b == '\r';
        if (b == '\n' && afterReturn) {
            return;
        }
        if (b == '\n' || b == '\r') {
            if (!skipping) {
                emit(length);
            }
            skipping = false;
            length = 0;
            return;
        }
        if (skipping) {
            return;
        }
        line[length++] = b;
        if (length == MAX_LINE) {
            int cut = characterBoundary();
            emit(cut);
            System.arraycopy(line, cut, line, 0, length - cut);
            length -= cut;
        }
    }

    /** Where the full buffer can be cut without splitting a UTF-8 character (the start of its last one). */
    private int characterBoundary() {
        for (int i = length - 1; i >= Math.max(0, length - 4); i--) {
            if ((line[i] & 0xC0) != 0x80) {
                int width = (line[i] & 0x80) == 0 ? 1 : (line[i] & 0xE0) == 0xC0 ? 2 : (line[i] & 0xF0) == 0xE0 ? 3 : 4;
                return i + width <= length ? length : i == 0 ? length : i;
            }
        }
        return length;
    }

    private void emit(int bytes) {
        lines.accept(new String(line, 0, bytes, StandardCharsets.UTF_8));
    }
}
