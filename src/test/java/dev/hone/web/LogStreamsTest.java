package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.store.NewRun;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streams' ring, stepped by the test (no ticker thread), so each step is exact. */
class LogStreamsTest {

    @TempDir
    Path tmp;
    Store store;
    LogStreams streams;
    long run;
    Path log;

    @BeforeEach
    void start() throws Exception {
        store = Stores.open(tmp.resolve("hone.db").toString());
        run = store.createRun(new NewRun("logs", tmp.toString(), null, null, null, null, null, Instant.now()));
        log = Files.writeString(tmp.resolve("train.log"), "");
        streams = new LogStreams(store, 10, false);
    }

    @AfterEach
    void stop() {
        streams.close();
        store.close();
    }

    static List<String> text(List<LogStreams.Event> events) {
        return events.stream().map(e -> new String(e.frame(), StandardCharsets.UTF_8)).toList();
    }

    static String lines(int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            text.append("line ").append(i).append('\n');
        }
        return text.toString();
    }

    @Test
    void aClientThatFellBehindTheRingIsToldHowManyLinesItMissedAndGoesOnFromTheOldestKept() throws Exception {
        try (LogStreams.Subscription slow = streams.subscribe(run, 1, log, Integer.MAX_VALUE)) {
            Files.writeString(log, lines(0, 40_000));
            streams.tick();

            List<String> got = text(slow.next(Duration.ZERO));
            assertThat(got.getFirst()).isEqualTo("data: --- hone: 23616 lines not sent here: this connection read "
                    + "them too slowly ---\n\n");
            assertThat(got.get(1)).isEqualTo("data: line 23616\n\n");
        }
    }

    @Test
    void everyClientOfALogReadsTheSameLinesFromOneFollower() throws Exception {
        List<LogStreams.Subscription> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(streams.subscribe(run, 1, log, Integer.MAX_VALUE));
        }
        Files.writeString(log, lines(0, 2));
        streams.tick();

        assertThat(streams.followed()).isEqualTo(1);
        assertThat(streams.streams()).isEqualTo(3);
        for (LogStreams.Subscription client : clients) {
            assertThat(text(client.next(Duration.ZERO))).containsExactly("data: line 0\n\n", "data: line 1\n\n");
            client.close();
        }
        streams.tick();
        assertThat(streams.followed()).as("nobody reads it any more").isZero();
    }
}
