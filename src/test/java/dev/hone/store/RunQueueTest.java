package dev.hone.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue and the server's records on a real SQLite store. */
class RunQueueTest {

    static final Instant T0 = Instant.ofEpochMilli(1_760_000_000_123L);
    static final String URL = "https://github.com/acme/digits.git";

    @TempDir
    Path dir;
    Store store;
    RunQueue queue;

    @BeforeEach
    void open() {
        store = Stores.open(dir.resolve("hone.db").toString());
        queue = store.queue();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static NewRun push(String commit, String branch) {
        return new NewRun("digits", URL, commit, branch, "Ana <ana@example.com>", "tune", null, T0);
    }

    @Nested
    class Queue {
        @Test
        void aQueuedRunWaitsUntilOneWorkerClaimsIt() {
            long id = queue.enqueue(push("a1", "main"));
            assertThat(store.run(id).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
            assertThat(queue.queued()).extracting(RunRow::id).containsExactly(id);

            assertThat(queue.claim(id)).isTrue();
            assertThat(queue.claim(id)).as("a second worker").isFalse();
            assertThat(store.run(id).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(queue.queued()).isEmpty();
            assertThat(queue.requeue(id)).isTrue();
            assertThat(queue.queued()).extracting(RunRow::id).containsExactly(id);
        }

        @Test
        void aPushHeardTwiceIsQueuedOnce() {
            assertThat(queue.enqueueOnce(push("a1", "main"))).hasValue(1L);
            assertThat(queue.enqueueOnce(push("a1", "main"))).isEmpty();
            assertThat(queue.enqueueOnce(push("a1", "dev"))).as("same commit, another branch").hasValue(2L);
            assertThat(queue.enqueueOnce(push("a1", null))).hasValue(3L);
            assertThat(queue.enqueueOnce(push("a1", null))).isEmpty();
        }

        @Test
        void onlyAQueuedRunCanBeSupersededOrCancelled() {
            long older = queue.enqueue(push("a1", "main"));
            long claimed = queue.enqueue(push("a2", "main"));
            queue.claim(claimed);
            RunEvent why = new RunEvent.Superseded("main", 3, "a3");

            assertThat(queue.endQueued(older, RunStatus.SUPERSEDED, why, T0.plusSeconds(1))).isTrue();
            assertThat(queue.endQueued(claimed, RunStatus.SUPERSEDED, why, T0)).isFalse();
            assertThat(store.run(older).orElseThrow().status()).isEqualTo(RunStatus.SUPERSEDED);
            assertThat(store.run(older).orElseThrow().finishedAt()).isEqualTo(T0.plusSeconds(1));
            assertThat(store.events(older)).containsExactly(new EventRow(RunEvent.Superseded.TYPE,
                    "a newer push to main replaced it: run 3 runs commit a3", T0.plusSeconds(1)));
            assertThat(store.events(claimed)).isEmpty();
            assertThat(queue.countByStatus()).isEqualTo(Map.of(RunStatus.SUPERSEDED, 1L, RunStatus.RUNNING, 1L));
        }

        @Test
        void aClaimedRunLearnsItsProjectSpecMetricAndCommit() {
            long id = queue.enqueue(new NewRun("digits", URL, null, "main", null, null, null, T0));
            queue.assign(id, "digits-v2", "name: digits-v2\n", StoreTest.LOSS);
            queue.resolveCommit(id, "abc123", "Bo <bo@x>", "head");
            RunRow run = store.run(id).orElseThrow();
            assertThat(run.project()).isEqualTo("digits-v2");
            assertThat(run.specYaml()).isEqualTo("name: digits-v2\n");
            assertThat(run.metric()).isEqualTo(StoreTest.LOSS);
            assertThat(run.commit()).isEqualTo("abc123");
            assertThat(run.author()).isEqualTo("Bo <bo@x>");
            assertThat(store.projects()).as("the name it was queued under had no other run").containsExactly(
                    "digits-v2");
        }

        @Test
        void theRepositorysRunsQueuedUnderTheSameNameMoveWithTheRunThatLearnedItsProject() {
            long started = queue.enqueue(push("a1", "main"));
            long waiting = queue.enqueue(push("a2", "main"));
            long elsewhere = queue.enqueue(new NewRun("digits", "https://github.com/acme/fork.git", "b1", "main", null,
                    null, null, T0));
            queue.claim(started);
            queue.assign(started, "digits-sgd", "name: digits-sgd\n", StoreTest.LOSS);

            assertThat(store.run(waiting).orElseThrow().project()).isEqualTo("digits-sgd");
            assertThat(store.run(elsewhere).orElseThrow().project()).as("another repository's run").isEqualTo("digits");
            assertThat(store.projects()).containsExactly("digits", "digits-sgd");
        }
    }

    @Nested
    class Installation {
        @Test
        void repositoriesAreAddedOnceAndRemoved() {
            RepositoryRow row = new RepositoryRow(0, URL, List.of("main", "release/*"), Duration.ofMinutes(5),
                    "DIGITS_SECRET", null, null, T0);
            RepositoryRow added = store.installation().addRepository(row, T0).orElseThrow();
            assertThat(added).isEqualTo(new RepositoryRow(1, URL, List.of("main", "release/*"),
                    Duration.ofMinutes(5), "DIGITS_SECRET", null, null, T0));
            assertThat(store.installation().addRepository(row, T0)).isEmpty();
            assertThat(store.installation().repositories()).containsExactly(added);
            assertThat(store.installation().removeRepository(URL)).isTrue();
            assertThat(store.installation().removeRepository(URL)).isFalse();
            assertThat(store.installation().repositories()).isEmpty();
        }

        @Test
        void remembersTheHeadsLastSeen() {
            assertThat(store.installation().lastSeen(URL)).isEmpty();
            store.installation().saveSeen(URL, Map.of(), T0);
            assertThat(store.installation().lastSeen(URL)).hasValue(Map.of());
            store.installation().saveSeen(URL, Map.of("main", "a1", "dev", "b1"), T0);
            store.installation().saveSeenBranch(URL, "main", "a2", T0);
            store.installation().saveSeenBranch(URL, "dev", null, T0);
            assertThat(store.installation().lastSeen(URL)).hasValue(Map.of("main", "a2"));
        }

        @Test
        void keepsRepositoryEventsNewestFirstAndTheTokenHash() {
            store.installation().addRepositoryEvent(URL, new EventRow("unreachable", "refused", T0));
            store.installation().addRepositoryEvent(URL, new EventRow("reachable", "back", T0.plusSeconds(5)));
            assertThat(store.installation().repositoryEvents(URL, 10)).extracting(EventRow::type)
                    .containsExactly("reachable", "unreachable");
            assertThat(store.installation().apiTokenHash()).isEmpty();
            store.installation().saveApiTokenHash("ab12", T0);
            assertThat(store.installation().apiTokenHash()).hasValue("ab12");
        }
    }
}
