package dev.hone.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.exec.Masks;
import dev.hone.spec.ServerSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir
    Path dir;

    private void append(Path file, byte[] bytes) throws Exception {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    @Test
    void linesArriveAsTheyAreAppendedAndTheLogGetsTheBytesAsTheyWere() throws Exception {
        Path out = Files.createFile(dir.resolve("out"));
        Path log = dir.resolve("logs/train.log");
        List<String> lines = new ArrayList<>();
        try (LogTail tail = new LogTail(out, log, lines::add)) {
            assertThat(tail.poll()).isFalse();
            append(out, "epoch=1 acc".getBytes(StandardCharsets.UTF_8));
            assertThat(tail.poll()).isTrue();
            assertThat(lines).isEmpty();
            append(out, "uracy=0.5\r\nprogress 10%\rprogress 20%\n".getBytes(StandardCharsets.UTF_8));
            tail.poll();
            assertThat(lines).containsExactly("epoch=1 accuracy=0.5", "progress 10%", "progress 20%");
            append(out, "no newline at the end".getBytes(StandardCharsets.UTF_8));
            tail.finish();
            assertThat(tail.tail()).containsExactly("epoch=1 accuracy=0.5", "progress 10%", "progress 20%",
                    "no newline at the end");
        }
        assertThat(Files.readString(log))
                .isEqualTo("epoch=1 accuracy=0.5\r\nprogress 10%\rprogress 20%\nno newline at the end");
    }

    @Test
    void secretsAreMaskedInTheLogTheTailAndTheConsumerEvenWhenSplitAcrossWrites() throws Exception {
        Path out = Files.createFile(dir.resolve("out"));
        Path log = dir.resolve("train.log");
        List<String> lines = new ArrayList<>();
        try (LogTail tail = new LogTail(out, log, lines::add, false, Masks.of(List.of("tok-7f3a9c")),
                ServerSpec.DEFAULT_LOG_SIZE)) {
            append(out, "token=tok-7f".getBytes(StandardCharsets.UTF_8));
            tail.poll();
            assertThat(Files.readString(log)).isEmpty();
            append(out, "3a9c\r\ntok-7f3a9c and tok-7f3a9c\rok\nlast tok-7f3a9c".getBytes(StandardCharsets.UTF_8));
            tail.poll();
            assertThat(Files.readString(log)).isEqualTo("token=***\r\n*** and ***\rok\n");
            tail.finish();
            assertThat(tail.tail()).containsExactly("token=***", "*** and ***", "ok", "last ***");
        }
        assertThat(lines).containsExactly("token=***", "*** and ***", "ok", "last ***");
        assertThat(Files.readString(log)).isEqualTo("token=***\r\n*** and ***\rok\nlast ***");
    }

    @Test
    void aRerunAppendsToTheLog() throws Exception {
        Path out = Files.createFile(dir.resolve("out"));
        Path log = Files.writeString(dir.resolve("train.log"), "first\n--- hone: container restarted\n");
        Files.writeString(out, "second\n");
        try (LogTail tail = new LogTail(out, log, line -> {}, true, Masks.NONE, ServerSpec.DEFAULT_LOG_SIZE)) {
            tail.finish();
        }
        assertThat(Files.readString(log)).isEqualTo("first\n--- hone: container restarted\nsecond\n");
    }

    @Test
    void aCharacterSplitAcrossTwoWritesIsDecodedWhole() throws Exception {
        Path out = Files.createFile(dir.resolve("out"));
        byte[] euro = "€\n".getBytes(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        try (LogTail tail = new LogTail(out, null, lines::add)) {
            append(out, new byte[] {euro[0]});
            tail.poll();
            append(out, new byte[] {euro[1], euro[2], euro[3]});
            tail.finish();
        }
        assertThat(lines).containsExactly("€");
    }

    @Test
    void onlyTheLastFortyLinesAreKept() throws Exception {
        Path out = Files.createFile(dir.resolve("out"));
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(out, text);
        try (LogTail tail = new LogTail(out, null, line -> {})) {
            tail.finish();
            assertThat(tail.tail()).hasSize(40).startsWith("line 11").endsWith("line 50");
        }
    }
}
