package dev.hone.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CappedLogTest {

    static final long LIMIT = 64 * 1024;
    static final String MARKER_END = " bytes of output cut here (limits.log_size is 64k: a log keeps its beginning "
            + "and its end) ---";

    @TempDir
    Path dir;

    /** {@code count} lines {@code line 00000} to {@code line NNNNN}, 11 bytes each with their \n. */
    static String lines(int from, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            text.append("line %05d\n".formatted(i));
        }
        return text.toString();
    }

    /** Writes {@code text} in pieces of {@code piece} bytes, as output arrives. */
    static void write(CappedLog log, String text, int piece) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at < bytes.length; at += piece) {
            log.write(bytes, at, Math.min(piece, bytes.length - at));
        }
    }

    List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().equals("train.log")).toList();
        }
    }

    @Test
    void aLogWithinItsLimitIsKeptWhole() throws IOException {
        Path file = dir.resolve("train.log");
        String text = lines(0, 5000); // 55,000 bytes
        try (CappedLog log = new CappedLog(file, false, LIMIT)) {
            write(log, text, 4096);
        }

        assertThat(Files.readString(file)).isEqualTo(text);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aLogPastItsLimitKeepsItsBeginningAndItsEndWithTheCutBetween() throws IOException {
        Path file = dir.resolve("train.log");
        try (CappedLog log = new CappedLog(file, false, LIMIT)) {
            write(log, lines(0, 20_000), 8192); // 220,000 bytes
        }

        assertThat(Files.size(file)).isLessThanOrEqualTo(LIMIT);
        List<String> kept = Files.readAllLines(file);
        // the head is the first 32 KiB: 2,978 whole lines and 10 bytes of the next; the end starts at the first
        // whole line of the last 32,512 bytes (byte 187,488 is inside line 17,044)
        assertThat(kept.subList(0, 2979)).isEqualTo(lines(0, 2979).lines().toList());
        assertThat(kept.get(2979)).isEqualTo("--- hone: " + (17_045 * 11 - 32_768) + MARKER_END);
        assertThat(kept.subList(2980, kept.size())).isEqualTo(lines(17_045, 20_000 - 17_045).lines().toList());
        assertThat(leftovers()).as("the segments are gone").isEmpty();
    }

    @Test
    void aSingleEndlessLineIsCutToo() throws IOException {
        Path file = dir.resolve("train.log");
        try (CappedLog log = new CappedLog(file, false, LIMIT)) {
            write(log, "x".repeat(200_000), 10_000);
        }

        String kept = Files.readString(file);
        String marker = "--- hone: " + (200_000 - 32_512 - 32_768) + MARKER_END + "\n";
        assertThat(kept).isEqualTo("x".repeat(32_768) + "\n" + marker + "x".repeat(32_512));
    }

    @Test
    void appendedOutputCountsWhatTheFileHeldAsItsBeginning() throws IOException {
        Path file = dir.resolve("train.log");
        Files.writeString(file, lines(0, 4000)); // 44,000 bytes: more than half the limit
        try (CappedLog log = new CappedLog(file, true, LIMIT)) {
            write(log, lines(4000, 10_000), 8192);
        }

        List<String> kept = Files.readAllLines(file);
        assertThat(kept.subList(0, 4000)).isEqualTo(lines(0, 4000).lines().toList());
        assertThat(kept.get(4000)).startsWith("--- hone: ").endsWith(MARKER_END);
        assertThat(kept.getLast()).isEqualTo("line 13999");
        assertThat(Files.size(file)).isLessThanOrEqualTo(44_000 + LIMIT / 2);
    }

    @Test
    void segmentsADeadWriterLeftAreDeletedByTheNext() throws IOException {
        Path file = dir.resolve("train.log");
        Files.writeString(dir.resolve("train.log.part-32768-32768"), "stale");
        try (CappedLog log = new CappedLog(file, false, LIMIT)) {
            write(log, "fresh\n", 10);
        }

        assertThat(Files.readString(file)).isEqualTo("fresh\n");
        assertThat(leftovers()).isEmpty();
    }
}
