package dev.hone.exec.slurm;

import dev.hone.exec.OutputLines;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * Follows a job's raw output file as Slurm writes it and hands what is new to {@link OutputLines} (which masks it
 * into the request's log, tail and consumer). A UTF-8 character cut between two reads is decoded once it is whole.
 */
final class OutputTail {

    /** The most of a cancelled job's output taken after Hone cancelled it. */
    private static final int REST_LIMIT = 16 << 20;
    /** The line slurmstepd adds to a job's output when it is cancelled (not at its time limit). */
    private static final Pattern CANCELLED_BY_HONE = Pattern.compile(
            "(?m)^slurmstepd[^:\\n]*: error: \\*\\*\\* JOB \\d+ ON \\S+ CANCELLED AT \\S+ \\*\\*\\*\\r?(\\n|$)");

    private final Path file;
    private final OutputLines lines;
    private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
    private final CharBuffer chars = CharBuffer.allocate(64 * 1024);
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private long position;

    OutputTail(Path file, OutputLines lines) {
        this.file = file;
        this.lines = lines;
    }

    /** Takes whatever the file holds beyond what was read; a file not there yet holds nothing. */
    void read() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() < position) {
                position = 0; // the file was started over
            }
            int n;
            while ((n = channel.read(bytes, position)) > 0) {
                position += n;
                bytes.flip();
                decoder.decode(bytes, chars, false);
                chars.flip();
                lines.accept(chars);
                chars.clear();
                bytes.compact();
            }
        } catch (IOException e) {
            // not written yet, or gone: nothing to take now
        }
        lines.flush();
    }

    /** The output has ended: what is left is taken, an unterminated last line too. */
    void end() {
        read();
        finish();
    }

    /**
     * The output has ended after Hone cancelled the job: what is left is taken but for the line Slurm adds to say
     * so ({@code slurmstepd: error: *** JOB 28 ON node1 CANCELLED AT … ***}), which is Hone's doing, not the job's.
     */
    void endCancelledByHone() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer rest = ByteBuffer.allocate((int) Math.min(Math.max(0, channel.size() - position), REST_LIMIT)
                    + bytes.position());
            bytes.flip();
            rest.put(bytes);
            bytes.clear();
            int n;
            while (rest.hasRemaining() && (n = channel.read(rest, position)) > 0) {
                position += n;
            }
            rest.flip();
            String text = StandardCharsets.UTF_8.decode(rest).toString();
            lines.accept(CharBuffer.wrap(CANCELLED_BY_HONE.matcher(text).replaceAll("")));
        } catch (IOException e) {
            // nothing more to take
        }
        lines.end();
    }

    private void finish() {
        bytes.flip();
        decoder.decode(bytes, chars, true);
        decoder.flush(chars);
        chars.flip();
        lines.accept(chars);
        chars.clear();
        bytes.clear();
        lines.end();
    }
}
