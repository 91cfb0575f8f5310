package dev.hone.logs;

import static dev.hone.logs.CappedLogTest.LIMIT;
import static dev.hone.logs.CappedLogTest.lines;
import static dev.hone.logs.CappedLogTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A follower and a writer take turns on one thread, so each step is exact. */
class LogFollowerTest {

    @TempDir
    Path dir;

    final List<String> read = new ArrayList<>();

    @Test
    void waitsForTheFileThenReadsEachLineAsItIsWritten() throws IOException {
        Path file = dir.resolve("train.log");
        try (LogFollower follower = new LogFollower(file, Long.MAX_VALUE, read::add)) {
            assertThat(follower.poll()).isFalse();
            try (CappedLog log = new CappedLog(file, false, LIMIT)) {
                write(log, "epoch 1\nepoch", 100);
                assertThat(follower.poll()).isTrue();
                assertThat(read).containsExactly("epoch 1");

                write(log, " 2\n", 100);
                follower.poll();
                assertThat(read).containsExactly("epoch 1", "epoch 2");
            }
        }
    }

    @Test
    void followsALogPastItsLimitWithoutLosingOrRepeatingALine() throws IOException {
        Path file = dir.resolve("train.log");
        try (LogFollower follower = new LogFollower(file, Long.MAX_VALUE, read::add)) {
            try (CappedLog log = new CappedLog(file, false, LIMIT)) {
                for (int batch = 0; batch < 40; batch++) {
                    write(log, lines(batch * 500, 500), 4096);
                    follower.poll();
                }
            }
            follower.poll();
            follower.end();
        }

        assertThat(read).isEqualTo(lines(0, 20_000).lines().toList());
    }

    @Test
    void aFollowerThatFellBehindSaysWhatItSkippedAndGoesOnWithWholeLines() throws IOException {
        Path file = dir.resolve("train.log");
        try (LogFollower follower = new LogFollower(file, Long.MAX_VALUE, read::add)) {
            try (CappedLog log = new CappedLog(file, false, LIMIT)) {
                write(log, lines(0, 20_000), 4096);
                follower.poll();
                int skip = read.indexOf(read.stream().filter(l -> l.contains("skipped")).findFirst().orElseThrow());
                assertThat(read.subList(0, skip)).isEqualTo(lines(0, 2979).lines().toList());
                assertThat(read.get(skip)).matches("--- hone: [0-9]+ bytes skipped here: the log keeps only its "
                        + "beginning and its end \\(limits.log_size\\), and this reader fell behind ---");
                assertThat(read.subList(skip + 1, read.size())).allMatch(l -> l.matches("line [0-9]{5}"));
                assertThat(read.getLast()).isEqualTo("line 19999");

                write(log, lines(20_000, 3), 4096);
            }
            follower.poll();
        }

        assertThat(read.subList(read.size() - 4, read.size()))
                .containsExactly("line 19999", "line 20000", "line 20001", "line 20002");
    }

    @Test
    void aFollowerThatStartsWhileTheLogIsClosedReadsItsBeginningTheMarkerAndItsEnd() throws IOException {
        Path file = dir.resolve("train.log");
        try (CappedLog log = new CappedLog(file, false, LIMIT)) {
            write(log, lines(0, 20_000), 4096);
        }
        try (LogFollower follower = new LogFollower(file, Long.MAX_VALUE, read::add)) {
            follower.poll();
        }

        assertThat(read).isEqualTo(Files.readAllLines(file));
    }

    @Test
    void startsTheBacklogBeforeTheEndAtAWholeLine() throws IOException {
        Path file = dir.resolve("train.log");
        Files.writeString(file, lines(0, 100));
        try (LogFollower follower = new LogFollower(file, 50, read::add)) {
            follower.poll();
        }

        assertThat(read).containsExactly("line 00096", "line 00097", "line 00098", "line 00099");
    }

    @Test
    void startsTheBacklogInTheSegmentsOfALogPastItsLimit() throws IOException {
        Path file = dir.resolve("train.log");
        try (CappedLog log = new CappedLog(file, false, LIMIT)) {
            write(log, lines(0, 20_000), 4096);
            try (LogFollower follower = new LogFollower(file, 110, read::add)) {
                follower.poll();
            }
        }

        assertThat(read).containsExactly(lines(19_990, 10).lines().toArray(String[]::new));
    }

    @Test
    void cutsLinesAtCarriageReturnsAndAtTheLongestLine() throws IOException {
        Path file = dir.resolve("train.log");
        String euro = "€".repeat(30_000); // 90,000 bytes: cut at a character's boundary
        Files.writeString(file, "10%\r20%\r30%\r\nx\n" + euro + "\ndone", StandardCharsets.UTF_8);
        try (LogFollower follower = new LogFollower(file, Long.MAX_VALUE, read::add)) {
            follower.poll();
            follower.end();
        }

        assertThat(read).containsExactly("10%", "20%", "30%", "x", "€".repeat(21_845), "€".repeat(8_155), "done");
    }
}
