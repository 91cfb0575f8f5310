package dev.hone.store;

import static dev.hone.run.DeliveryStatus.FAILED;
import static dev.hone.run.DeliveryStatus.PENDING;
import static dev.hone.run.DeliveryStatus.SENDING;
import static dev.hone.run.DeliveryStatus.SENT;
import static dev.hone.store.StoreTest.T0;
import static dev.hone.store.StoreTest.newRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.run.Notifiable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

    static final String TARGET_REACHED = Notifiable.TARGET_REACHED.type();

    static final Instant LEASE = T0.plus(Duration.ofMinutes(2));

    @TempDir
    Path dir;
    Store store;
    Outbox outbox;
    long run;

    @BeforeEach
    void open() {
        store = Stores.open(dir.resolve("hone.db").toString());
        outbox = store.outbox();
        run = store.createRun(newRun("digits", T0));
    }

    @AfterEach
    void close() {
        store.close();
    }

    OutboxEntry entry(String key) {
        return new OutboxEntry(run, TARGET_REACHED, "email", "email.abc", key, "{\"event\":{}}", T0);
    }

    OutboxRow claimed(String key) {
        outbox.enqueue(entry(key));
        return outbox.claim(outbox.find(key).orElseThrow().id(), T0, LEASE).orElseThrow();
    }

    @Nested
    class Enqueueing {
        @Test
        void anEntryIsPendingAndDueAtOnce() {
            assertThat(outbox.enqueue(entry("k1"))).isTrue();

            OutboxRow row = outbox.find("k1").orElseThrow();
            assertThat(row).isEqualTo(new OutboxRow(row.id(), run, TARGET_REACHED, "email", "email.abc", "k1",
                    "{\"event\":{}}", PENDING, 0, T0, null, null, T0, null));
            assertThat(row.finished()).isFalse();
        }

        @Test
        void aSecondEntryWithTheSameKeyIsNotWritten() {
            outbox.enqueue(entry("k1"));

            assertThat(outbox.enqueue(entry("k1"))).isFalse();
            assertThat(outbox.ofRun(run)).hasSize(1);
        }

        @Test
        void anEntryOutsideAnyRunIsKept() {
            outbox.enqueue(new OutboxEntry(null, "test", "slack", "slack.1", "k0", "{}", T0));

            assertThat(outbox.find("k0").orElseThrow().runId()).isNull();
        }

        @Test
        void unfinishedEntriesAreListedByRouteOldestFirst() {
            outbox.enqueue(entry("a"));
            outbox.enqueue(entry("b"));
            outbox.enqueue(new OutboxEntry(run, TARGET_REACHED, "slack", "slack.1", "c", "{}", T0));
            outbox.sent(claimed("d"), "sent", T0);

            assertThat(outbox.unfinished("email.abc")).extracting(OutboxRow::idempotencyKey).containsExactly("a", "b");
        }

        @Test
        void entriesSurviveReopening() {
            outbox.enqueue(entry("k1"));
            store.close();

            try (Store reopened = Stores.open(dir.resolve("hone.db").toString())) {
                assertThat(reopened.outbox().unfinished("email.abc")).extracting(OutboxRow::idempotencyKey)
                        .containsExactly("k1");
            }
            store = Stores.open(dir.resolve("hone.db").toString());
        }
    }

    @Nested
    class Claiming {
        @Test
        void aClaimMakesTheEntrySendingUntilItsLeaseAndCountsTheAttempt() {
            OutboxRow row = claimed("k1");

            assertThat(row.status()).isEqualTo(SENDING);
            assertThat(row.attempts()).isEqualTo(1);
            assertThat(row.nextAttemptAt()).isEqualTo(LEASE);
        }

        @Test
        void aClaimedEntryCannotBeClaimedAgainWhileItsLeaseHolds() {
            OutboxRow row = claimed("k1");

            assertThat(outbox.claim(row.id(), T0.plusSeconds(60), LEASE.plusSeconds(60))).isEmpty();
        }

        @Test
        void anEntryWhoseCourierDiedIsClaimedAgainAfterItsLease() {
            OutboxRow row = claimed("k1");

            Optional<OutboxRow> again = outbox.claim(row.id(), LEASE.plusMillis(1), LEASE.plusSeconds(120));

            assertThat(again).map(OutboxRow::attempts).contains(2);
            assertThat(outbox.sent(row, "late", LEASE)).as("the first claim was lost").isFalse();
            assertThat(outbox.sent(again.orElseThrow(), "sent", LEASE)).isTrue();
            assertThat(store.notifications(run)).hasSize(1);
        }

        @Test
        void aFinishedEntryCannotBeClaimed() {
            OutboxRow row = claimed("k1");
            outbox.sent(row, "sent", T0);

            assertThat(outbox.claim(row.id(), LEASE.plusSeconds(600), LEASE.plusSeconds(900))).isEmpty();
        }

        @Test
        void ofManyCouriersClaimingAtOnceExactlyOneGetsIt() throws Exception {
            outbox.enqueue(entry("k1"));
            long id = outbox.find("k1").orElseThrow().id();
            int couriers = 8;
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Boolean>> claims = IntStream.range(0, couriers)
                    .mapToObj(i -> (Callable<Boolean>) () -> {
                        start.await();
                        return outbox.claim(id, T0, LEASE).isPresent();
                    }).toList();
            ExecutorService pool = Executors.newFixedThreadPool(couriers);
            try {
                List<Future<Boolean>> results = claims.stream().map(pool::submit).toList();
                start.countDown();
                long won = 0;
                for (Future<Boolean> result : results) {
                    won += result.get() ? 1 : 0;
                }
                assertThat(won).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void twoStoresOnOneFileNeverBothClaimAnEntry() {
            outbox.enqueue(entry("k1"));
            long id = outbox.find("k1").orElseThrow().id();
            try (Store other = Stores.open(dir.resolve("hone.db").toString())) {
                assertThat(other.outbox().claim(id, T0, LEASE)).isPresent();
                assertThat(outbox.claim(id, T0, LEASE)).isEmpty();
            }
        }
    }

    @Nested
    class Outcomes {
        @Test
        void aSentEntryIsRecordedOnceInTheRunsNotifications() {
            OutboxRow row = claimed("k1");

            assertThat(outbox.sent(row, "sent to ana@example.com", T0.plusSeconds(1))).isTrue();
            assertThat(outbox.sent(row, "sent to ana@example.com", T0.plusSeconds(2))).isFalse();

            OutboxRow sent = outbox.find("k1").orElseThrow();
            assertThat(sent.status()).isEqualTo(SENT);
            assertThat(sent.detail()).isEqualTo("sent to ana@example.com");
            assertThat(sent.sentAt()).isEqualTo(T0.plusSeconds(1));
            assertThat(sent.finished()).isTrue();
            assertThat(store.notifications(run)).containsExactly(new NotificationRow(TARGET_REACHED, "email",
                    SENT, "sent to ana@example.com", T0.plusSeconds(1)));
        }

        @Test
        void aRetriedEntryIsPendingAgainWithItsErrorAndNextAttempt() {
            OutboxRow row = claimed("k1");

            assertThat(outbox.retry(row, "attempt 1: connection refused", T0.plusSeconds(1))).isTrue();

            OutboxRow pending = outbox.find("k1").orElseThrow();
            assertThat(pending.status()).isEqualTo(PENDING);
            assertThat(pending.attempts()).isEqualTo(1);
            assertThat(pending.lastError()).isEqualTo("attempt 1: connection refused");
            assertThat(pending.nextAttemptAt()).isEqualTo(T0.plusSeconds(1));
            assertThat(store.notifications(run)).isEmpty();
            assertThat(outbox.claim(pending.id(), T0, LEASE)).map(OutboxRow::attempts).contains(2);
        }

        @Test
        void aFailedEntryIsRecordedWithItsError() {
            OutboxRow row = claimed("k1");

            assertThat(outbox.failed(row, "gave up after 5 attempts: connection refused", T0)).isTrue();

            assertThat(outbox.find("k1").orElseThrow().status()).isEqualTo(FAILED);
            assertThat(store.notifications(run)).containsExactly(new NotificationRow(TARGET_REACHED, "email",
                    FAILED, "gave up after 5 attempts: connection refused", T0));
        }

        @Test
        void anEntryOutsideAnyRunAddsNoNotification() {
            outbox.enqueue(new OutboxEntry(null, "test", "slack", "slack.1", "k0", "{}", T0));
            OutboxRow row = outbox.claim(outbox.find("k0").orElseThrow().id(), T0, LEASE).orElseThrow();

            assertThat(outbox.sent(row, "posted", T0)).isTrue();
            assertThat(store.notifications(run)).isEmpty();
        }
    }
}
