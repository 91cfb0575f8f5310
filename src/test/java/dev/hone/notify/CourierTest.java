package dev.hone.notify;

import static dev.hone.run.DeliveryStatus.FAILED;
import static dev.hone.run.DeliveryStatus.PENDING;
import static dev.hone.run.DeliveryStatus.SENDING;
import static dev.hone.run.DeliveryStatus.SENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.hone.run.Notifiable;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.Spec;
import dev.hone.store.NewRun;
import dev.hone.store.NotificationRow;
import dev.hone.store.OutboxEntry;
import dev.hone.store.OutboxRow;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.testing.FakeClock;
import dev.hone.testing.Ports;
import dev.hone.time.Backoff;
import dev.hone.time.Sleeper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery through the outbox with a real store and a real SMTP server: retries with a doubling backoff, exactly
 * once across refusals and restarts, and no channel waiting on another.
 */
class CourierTest {

    static final String TARGET_REACHED = Notifiable.TARGET_REACHED.type();

    static final Duration SECONDS_5 = Duration.ofSeconds(5);
    static final Courier.Retry RETRY = new Courier.Retry(5, Backoff.doubling(Duration.ofSeconds(1), Duration.ofMinutes(1)),
            Duration.ofMinutes(2));
    static final Spec.Notify TO_THE_TEAM = new Spec.Notify(Spec.EVENT_TYPES,
            new Spec.Email(List.of("ml-team@example.com"), false), null, null);

    @TempDir
    Path dir;
    Store store;
    int smtpPort;
    GreenMail greenMail;
    long run;

    @BeforeEach
    void open() throws IOException {
        store = Stores.open(file());
        run = store.createRun(new NewRun("digits", "/work/digits", Events.SHA, "main", "Ana", "more layers", null,
                FakeClock.START));
        smtpPort = freePort();
        greenMail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    }

    @AfterEach
    void close() {
        greenMail.stop();
        store.close();
    }

    String file() {
        return dir.resolve("hone.db").toString();
    }

    static int freePort() {
        return Ports.free();
    }

    Channels channels() {
        return channels(SECONDS_5);
    }

    /** The installation's SMTP server at {@link #smtpPort}, with {@code read} as every channel's wait for answers. */
    Channels channels(Duration read) {
        ServerSpec.Email email = new ServerSpec.Email(new ServerSpec.Smtp("127.0.0.1", smtpPort,
                ServerSpec.Security.NONE, null, null), "hone@example.com");
        return new Channels(new ServerSpec.Channels(email, null, null, null, null), null, null, null, SECONDS_5,
                read);
    }

    static Dispatcher dispatcher(Store store, Courier courier, Channels channels, InstantSource clock) {
        return new Dispatcher(courier, store.outbox(), channels, clock, Duration.ofSeconds(30));
    }

    OutboxRow onlyEntry(Store s) {
        List<OutboxRow> rows = s.outbox().ofRun(run);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    @Test
    void aMailRefusedThreeTimesArrivesExactlyOnceWhenTheServerComesBack() {
        FakeClock time = new FakeClock().onSleep(sleep -> {
            if (sleep == 3) {
                greenMail.start();
            }
        });
        try (Courier courier = new Courier(store.outbox(), time, time, RETRY)) {
            List<Delivery> outcome = dispatcher(store, courier, channels(), time)
                    .dispatch(run, Events.targetReached(), TO_THE_TEAM);

            assertThat(outcome).containsExactly(new Delivery(TARGET_REACHED, "email", SENT,
                    "sent to ml-team@example.com (attempt 4)"));
            assertThat(courier.drain(SECONDS_5)).isTrue();
        }
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        OutboxRow entry = onlyEntry(store);
        assertThat(entry.status()).isEqualTo(SENT);
        assertThat(entry.attempts()).isEqualTo(4);
        assertThat(entry.lastError())
                .isEqualTo("attempt 3: cannot reach SMTP server 127.0.0.1:" + smtpPort + ": connection refused");
        assertThat(store.notifications(run)).extracting(NotificationRow::status).containsExactly(SENT);
    }

    @Test
    void aMailLeftPendingByAStoppedHoneArrivesExactlyOnceAfterTheRestart() {
        try (Store first = Stores.open(file())) {
            // the first Hone ran an hour ago
            FakeClock time = new FakeClock(Instant.now().minus(Duration.ofHours(1))).onSleep(sleep -> {
                if (sleep == 2) {
                    throw new InterruptedException("Hone stops while it waits for attempt 3");
                }
            });
            try (Courier courier = new Courier(first.outbox(), time, time, RETRY)) {
                List<Delivery> outcome = dispatcher(first, courier, channels(), time)
                        .dispatch(run, Events.targetReached(), TO_THE_TEAM);

                assertThat(outcome).containsExactly(new Delivery(TARGET_REACHED, "email", PENDING,
                        "not delivered yet (attempt 2: cannot reach SMTP server 127.0.0.1:" + smtpPort
                                + ": connection refused); Hone keeps trying"));
            }
        }
        greenMail.start();

        // two Hones start on the same store at once, on the machine's clock; each picks up what is unfinished
        try (Store second = Stores.open(file()); Store third = Stores.open(file());
             Courier a = new Courier(second.outbox(), InstantSource.system(), Sleeper.system(), RETRY);
             Courier b = new Courier(third.outbox(), InstantSource.system(), Sleeper.system(), RETRY)) {
            for (Notifier channel : channels().of(TO_THE_TEAM)) {
                a.register(channel);
                b.register(channel);
            }
            assertThat(a.drain(SECONDS_5)).isTrue();
            assertThat(b.drain(SECONDS_5)).isTrue();
        }
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
        OutboxRow entry = onlyEntry(store);
        assertThat(entry.status()).isEqualTo(SENT);
        assertThat(entry.attempts()).isEqualTo(3);
        assertThat(store.notifications(run)).extracting(NotificationRow::detail)
                .containsExactly("sent to ml-team@example.com (attempt 3)");
    }

    @Test
    void aDeliveryWhoseCourierDiedWhileSendingIsTakenOverWhenItsLeaseEnds() {
        greenMail.start();
        Notifier email = channels().of(TO_THE_TEAM).get(0);
        // what a courier leaves when its process dies in the middle of sending: a claimed entry
        String key = Dispatcher.key(run, Events.targetReached(), email.route(), 0);
        store.outbox().enqueue(new OutboxEntry(run, TARGET_REACHED, "email", email.route(), key,
                new NoticeJson().write(new Notice(run, Events.targetReached(), null, key), Redaction.NONE),
                FakeClock.START));
        store.outbox().claim(store.outbox().find(key).orElseThrow().id(), FakeClock.START,
                FakeClock.START.plus(RETRY.lease()));

        FakeClock duringTheLease = new FakeClock(FakeClock.START.plusSeconds(60));
        try (Courier courier = new Courier(store.outbox(), duringTheLease, duringTheLease, RETRY)) {
            courier.register(email);
            assertThat(courier.drain(SECONDS_5)).isTrue();
        }
        assertThat(greenMail.getReceivedMessages()).as("its courier may still be sending it").isEmpty();

        FakeClock afterTheLease = new FakeClock(FakeClock.START.plus(RETRY.lease()).plusSeconds(1));
        try (Courier courier = new Courier(store.outbox(), afterTheLease, afterTheLease, RETRY)) {
            courier.register(email);
            courier.resume();
            assertThat(courier.drain(SECONDS_5)).isTrue();
        }
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
        assertThat(store.outbox().find(key).orElseThrow().attempts()).isEqualTo(2);
    }

    @Test
    void aWebhookThatHangsDoesNotDelayTheMail() throws Exception {
        greenMail.start();
        try (Receiver hook = new Receiver().hang();
             Courier courier = new Courier(store.outbox(), InstantSource.system(), Sleeper.system(),
                     Courier.Retry.DEFAULT)) {
            Spec.Notify notify = new Spec.Notify(Spec.EVENT_TYPES, TO_THE_TEAM.email(), null,
                    new Spec.Webhook(hook.url("/hooks/hone"), "s3cret-hook"));
            new Dispatcher(courier, store.outbox(), channels(Duration.ofSeconds(30)), InstantSource.system(),
                    Duration.ZERO)
                    .dispatch(run, Events.trainingFailed(), notify);

            assertThat(greenMail.waitForIncomingEmail(10_000, 1)).as("the mail arrived").isTrue();
            String mail = store.outbox().ofRun(run).stream().filter(e -> e.channel().equals("email")).findFirst()
                    .orElseThrow().idempotencyKey();
            courier.await(List.of(mail), Duration.ofSeconds(10));
            hook.next();
            assertThat(store.outbox().ofRun(run)).extracting(OutboxRow::channel, OutboxRow::status)
                    .containsExactlyInAnyOrder(tuple("email", SENT),
                            tuple("webhook", SENDING));
        }
    }

    @Test
    void afterTheLastAttemptTheDeliveryFailsAndSaysWhy() throws IOException {
        int closed = freePort();
        Spec.Notify notify = new Spec.Notify(Spec.EVENT_TYPES, null,
                new Spec.Slack("http://127.0.0.1:" + closed + "/services/T/B/secret"), null);
        FakeClock time = new FakeClock();
        try (Courier courier = new Courier(store.outbox(), time, time,
                new Courier.Retry(3, Backoff.doubling(Duration.ofSeconds(1), Duration.ofMinutes(1)),
                        Duration.ofMinutes(2)))) {
            List<Delivery> outcome = dispatcher(store, courier, channels(), time)
                    .dispatch(run, Events.targetReached(), notify);

            String why = "gave up after 3 attempts: cannot reach Slack at http://127.0.0.1:" + closed
                    + "/…: connection refused";
            assertThat(outcome).containsExactly(new Delivery(TARGET_REACHED, "slack", FAILED, why));
            assertThat(store.notifications(run)).extracting(NotificationRow::status, NotificationRow::detail)
                    .containsExactly(tuple(FAILED, why));
        }
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void aFailureThatCannotPassIsNotTriedAgain() throws Exception {
        try (Receiver slack = new Receiver().answer(404, "no_service")) {
            Spec.Notify notify = new Spec.Notify(Spec.EVENT_TYPES, null, new Spec.Slack(slack.url("/services/x")),
                    null);
            FakeClock time = new FakeClock();
            try (Courier courier = new Courier(store.outbox(), time, time, RETRY)) {
                List<Delivery> outcome = dispatcher(store, courier, channels(), time)
                        .dispatch(run, Events.targetReached(), notify);

                assertThat(outcome).extracting(Delivery::status).containsExactly(FAILED);
            }
            assertThat(time.sleeps()).isEmpty();
            assertThat(slack.requests()).hasSize(1);
        }
    }
}
