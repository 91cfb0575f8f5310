package dev.hone.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.run.Notifiable;
import dev.hone.run.RunStatus;
import dev.hone.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What lets several controllers share one PostgreSQL store, each through a store of its own (its own connections),
 * racing on purpose: queued runs and notifications are each claimed once, leases expire and are taken over once,
 * and one controller leads at a time.
 */
class ControllersStoreTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final int RUNS = 40;

    private TestPostgres postgres;
    private Store first;
    private Store second;

    @BeforeEach
    void twoControllers() throws SQLException {
        postgres = TestPostgres.create();
        first = postgres.store();
        second = Stores.open(postgres.url());
    }

    @AfterEach
    void drop() throws Exception {
        second.close();
        postgres.close();
    }

    @Test
    void twoControllersClaimingTheSameQueuedRunsAtOnceClaimEachRunOnce() throws Exception {
        List<Long> queued = LongStream.range(0, RUNS).mapToObj(i -> first.queue().enqueue(run(i))).toList();

        List<List<Long>> claimed = race(queued, (store, controller, id) ->
                store.queue().claim(id, controller, T0.plusSeconds(30)));

        assertThat(claimed.get(0)).as("the first controller claimed some").isNotEmpty();
        assertThat(claimed.get(1)).as("the second controller claimed some").isNotEmpty();
        List<Long> all = new ArrayList<>(claimed.get(0));
        all.addAll(claimed.get(1));
        assertThat(all).as("every run claimed by exactly one controller").containsExactlyInAnyOrderElementsOf(queued);
        assertThat(first.queue().withStatus(RunStatus.RUNNING)).hasSize(RUNS);
        assertThat(first.queue().renew("controller-0", T0.plusSeconds(60)))
                .containsExactlyInAnyOrderElementsOf(claimed.get(0));
        assertThat(second.queue().renew("controller-1", T0.plusSeconds(60)))
                .containsExactlyInAnyOrderElementsOf(claimed.get(1));
    }

    @Test
    void aRunIsTakenOverOnceItsLeaseExpiredAndOnlyOnce() {
        long id = first.queue().enqueue(run(1));
        assertThat(first.queue().claim(id, "a", T0.plusSeconds(30))).isTrue();
        assertThat(second.queue().claim(id, "b", T0.plusSeconds(30))).as("claimed already").isFalse();

        assertThat(second.queue().leased(id, T0.plusSeconds(29))).isTrue();
        assertThat(second.queue().leaseExpired(T0.plusSeconds(29))).isEmpty();
        assertThat(second.queue().takeOver(id, T0.plusSeconds(29))).as("the lease holds").isFalse();
        assertThat(first.queue().renew("a", T0.plusSeconds(60))).containsExactly(id);
        assertThat(second.queue().takeOver(id, T0.plusSeconds(45))).as("renewed: it holds still").isFalse();

        assertThat(second.queue().leaseExpired(T0.plusSeconds(61)))
                .containsExactly(new Lease(id, "https://git.example.com/acme/r1.git", "a", T0.plusSeconds(60)));
        assertThat(second.queue().takeOver(id, T0.plusSeconds(61))).isTrue();
        assertThat(first.queue().takeOver(id, T0.plusSeconds(61))).as("taken over once").isFalse();
        assertThat(first.queue().renew("a", T0.plusSeconds(90))).as("no longer a's").isEmpty();
        assertThat(first.run(id).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
        assertThat(first.queue().leased(id, T0)).isFalse();
        assertThat(second.queue().claim(id, "b", T0.plusSeconds(91))).isTrue();
    }

    @Test
    void aControllerThatStopsReleasesItsLeasesForAnotherToTakeAtOnce() {
        long id = first.queue().enqueue(run(1));
        first.queue().claim(id, "a", T0.plusSeconds(30));
        first.finishRun(id, RunStatus.INTERRUPTED, null, T0);
        first.queue().release("a");

        assertThat(second.queue().leaseExpired(T0)).extracting(Lease::runId).containsExactly(id);
        assertThat(second.queue().takeOver(id, T0)).isTrue();
        assertThat(second.run(id).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
        assertThat(second.run(id).orElseThrow().finishedAt()).isNull();
    }

    @Test
    void twoCouriersClaimingTheSameNotificationsAtOnceClaimEachOnce() throws Exception {
        List<Long> entries = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            first.outbox().enqueue(new OutboxEntry(null, Notifiable.TARGET_REACHED.type(), "webhook", "webhook",
                    "key-" + i, "{}", T0));
            entries.add(first.outbox().find("key-" + i).orElseThrow().id());
        }

        List<List<Long>> claimed = race(entries, (store, controller, id) ->
                store.outbox().claim(id, T0, T0.plusSeconds(60)).isPresent());

        List<Long> all = new ArrayList<>(claimed.get(0));
        all.addAll(claimed.get(1));
        assertThat(all).as("every notification claimed by exactly one courier").containsExactlyInAnyOrderElementsOf(
                entries);
        assertThat(first.outbox().unfinished()).extracting(OutboxRow::attempts).containsOnly(1);
    }

    @Test
    void oneControllerLeadsAtATimeAndAnotherTakesTheLeadWhenItGoes() {
        try (Leadership a = first.leadership(); Leadership b = second.leadership()) {
            assertThat(a.exclusive()).isFalse();
            assertThat(a.lead()).isTrue();
            assertThat(b.lead()).isFalse();
            assertThat(a.lead()).as("it keeps the lead").isTrue();
            assertThat(b.lead()).isFalse();

            a.close();
            assertThat(b.lead()).as("the lead is free once its holder's session ended").isTrue();
            assertThat(a.lead()).as("the first wants it back, but b holds it").isFalse();
        }
    }

    @Test
    void aSqliteStoreTakesOneControllerPerProcess(@TempDir Path dir) {
        try (Store sqlite = Stores.open(dir.resolve("hone.db").toString()); Leadership one = sqlite.leadership()) {
            assertThat(one.exclusive()).isTrue();
            assertThat(one.lead()).isTrue();
            assertThat(dir.resolve("hone.db.serve.lock")).exists();
        }
    }

    /** What one controller does to one row; true when it got it. */
    private interface Claim {
        boolean claim(Store store, String controller, long id);
    }

    /**
     * The two controllers ({@code controller-0} on the first store, {@code controller-1} on the second) go through
     * {@code ids} at once, starting together, each in its own order; what each got.
     */
    private List<List<Long>> race(List<Long> ids, Claim claim) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Long>>> got = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                Store store = c == 0 ? first : second;
                String controller = "controller-" + c;
                List<Long> order = new ArrayList<>(ids);
                if (c == 1) {
                    Collections.rotate(order, ids.size() / 2);
                }
                Callable<List<Long>> racer = () -> {
                    start.await();
                    List<Long> mine = new ArrayList<>();
                    for (long id : order) {
                        if (claim.claim(store, controller, id)) {
                            mine.add(id);
                        }
                    }
                    return mine;
                };
                got.add(pool.submit(racer));
            }
            start.countDown();
            return List.of(got.get(0).get(), got.get(1).get());
        } finally {
            pool.shutdownNow();
        }
    }

    private static NewRun run(long i) {
        return new NewRun("p" + i, "https://git.example.com/acme/r" + i + ".git", null, "main", null, null, null,
                T0.plusMillis(i));
    }
}
