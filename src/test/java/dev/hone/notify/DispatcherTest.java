package dev.hone.notify;

import static dev.hone.run.DeliveryStatus.FAILED;
import static dev.hone.run.DeliveryStatus.PENDING;
import static dev.hone.run.DeliveryStatus.SENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.hone.run.Notifiable;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.Spec;
import dev.hone.store.NewRun;
import dev.hone.store.NotificationRow;
import dev.hone.store.OutboxRow;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.testing.FakeClock;
import dev.hone.time.Backoff;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An event of a run through every channel it has: routed, written first, delivered, its outcomes returned. */
class DispatcherTest {

    static final String TARGET_REACHED = Notifiable.TARGET_REACHED.type();
    static final String TRAINING_FAILED = Notifiable.TRAINING_FAILED.type();

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Courier.Retry TWICE = new Courier.Retry(2, Backoff.doubling(Duration.ofSeconds(1), Duration.ofMinutes(1)),
            Duration.ofMinutes(2));

    @TempDir
    Path dir;
    Store store;
    long run;
    FakeClock time = new FakeClock();
    Courier courier;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    List<AutoCloseable> servers = new ArrayList<>();

    @BeforeEach
    void open() {
        store = Stores.open(dir.resolve("hone.db").toString());
        run = store.createRun(new NewRun("digits", "/work/digits", Events.SHA, "main", "Ana", "more", null,
                FakeClock.START));
        courier = new Courier(store.outbox(), time, time, TWICE);
    }

    @AfterEach
    void close() throws Exception {
        courier.close();
        for (AutoCloseable server : servers) {
            server.close();
        }
        store.close();
    }

    Receiver receiver() throws Exception {
        Receiver receiver = new Receiver();
        servers.add(receiver);
        return receiver;
    }

    Dispatcher dispatcher(ServerSpec.Channels server, String publicUrl, Duration wait) {
        Channels channels = new Channels(server, publicUrl, new PrintStream(console, true, StandardCharsets.UTF_8),
                null, Duration.ofSeconds(5), Duration.ofSeconds(5));
        return new Dispatcher(courier, store.outbox(), channels, time, wait);
    }

    Dispatcher dispatcher() {
        return dispatcher(ServerSpec.Channels.NONE, null, WAIT);
    }

    static Spec.Notify notifying(List<String> on, Spec.Slack slack, Spec.Webhook webhook) {
        return new Spec.Notify(on, null, slack, webhook);
    }

    String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Nested
    class Routing {
        @Test
        void anEventNotInNotifyOnIsNotSent() {
            List<Delivery> outcome = dispatcher().dispatch(run, Events.targetReached(),
                    notifying(List.of(TRAINING_FAILED), null, null));

            assertThat(outcome).isEmpty();
            assertThat(store.outbox().ofRun(run)).isEmpty();
            assertThat(console()).isEmpty();
        }

        @Test
        void withoutConfigurationTheConsoleIsTheChannel() {
            List<Delivery> outcome = dispatcher().dispatch(run, Events.targetReached(), null);

            assertThat(outcome).containsExactly(new Delivery(TARGET_REACHED, "console", SENT, "printed"));
            assertThat(console()).contains("[target_reached] digits: accuracy 0.963 ≥ 0.96 after 5 trials");
            assertThat(store.notifications(run)).extracting(NotificationRow::channel, NotificationRow::status)
                    .containsExactly(tuple("console", SENT));
        }

        @Test
        void everyNotificationIsWrittenBeforeAnyIsSent() throws Exception {
            List<Integer> seen = new CopyOnWriteArrayList<>();
            Receiver slack = receiver().onRequest(r -> seen.add(store.outbox().ofRun(run).size()));
            Receiver hook = receiver().onRequest(r -> seen.add(store.outbox().ofRun(run).size()));

            dispatcher().dispatch(run, Events.targetReached(), notifying(Spec.EVENT_TYPES,
                    new Spec.Slack(slack.url("/s")), new Spec.Webhook(hook.url("/h"), "k3y-s3cret")));

            assertThat(seen).containsExactly(3, 3);
        }

        @Test
        void theOutcomesComeBackAndAreRecordedWhateverEachChannelDid() throws Exception {
            Receiver slack = receiver().answer(500, "internal_error");
            Receiver hook = receiver();

            List<Delivery> outcome = dispatcher().dispatch(run, Events.trainingFailed(), notifying(Spec.EVENT_TYPES,
                    new Spec.Slack(slack.url("/services/T/B/x")), new Spec.Webhook(hook.url("/h"), "k3y-s3cret")));

            String slackError = "gave up after 2 attempts: Slack answered HTTP 500 at " + slack.url("/…")
                    + ": internal_error";
            assertThat(outcome).containsExactly(
                    new Delivery(TRAINING_FAILED, "console", SENT, "printed"),
                    new Delivery(TRAINING_FAILED, "slack", FAILED, slackError),
                    new Delivery(TRAINING_FAILED, "webhook", SENT, "posted to the webhook (signed)"));
            assertThat(store.notifications(run)).extracting(NotificationRow::channel, NotificationRow::status)
                    .containsExactlyInAnyOrder(tuple("console", SENT), tuple("slack", FAILED),
                            tuple("webhook", SENT));
            assertThat(slack.requests()).hasSize(2);
        }

        @Test
        void whatIsStillBeingTriedWhenTheWaitEndsIsPending() throws Exception {
            Receiver hook = receiver().hang();

            List<Delivery> outcome = dispatcher(ServerSpec.Channels.NONE, null, Duration.ZERO).dispatch(run,
                    Events.trainingFailed(), notifying(Spec.EVENT_TYPES, null, new Spec.Webhook(hook.url("/h"), null)));

            hook.next();
            assertThat(outcome).contains(new Delivery(TRAINING_FAILED, "webhook", PENDING,
                    "being sent; Hone keeps trying"));
        }

        @Test
        void theSameEventDispatchedTwiceIsSentOnce() {
            dispatcher().dispatch(run, Events.targetReached(), null);
            List<Delivery> again = dispatcher().dispatch(run, Events.targetReached(), null);

            assertThat(again).containsExactly(new Delivery(TARGET_REACHED, "console", SENT, "printed"));
            assertThat(console().split("\\[target_reached]", -1)).hasSize(2);
            assertThat(store.outbox().ofRun(run)).hasSize(1);
        }

        @Test
        void honeYamlNamingEmailWithoutAnSmtpServerFailsSayingWhatToDo() {
            List<Delivery> outcome = dispatcher().dispatch(run, Events.targetReached(),
                    new Spec.Notify(Spec.EVENT_TYPES, new Spec.Email(List.of("ml@example.com"), true), null, null));

            assertThat(outcome).contains(new Delivery(TARGET_REACHED, "email", FAILED, "hone.yaml names "
                    + "notify.email, but the installation has no SMTP server: set notify.email.smtp and "
                    + "notify.email.from in hone-server.yaml and pass it with --config"));
        }

        @Test
        void withAPublicUrlMessagesLinkToTheRun() {
            dispatcher(ServerSpec.Channels.NONE, "https://hone.example.com/", WAIT)
                    .dispatch(run, Events.targetReached(), null);

            assertThat(console()).contains("run: https://hone.example.com/runs/" + run);
        }
    }

    @Nested
    class Secrets {
        static final String SMTP_PASSWORD = "smtp-pa55word-1";
        static final String GITHUB_TOKEN = "ghp_t0ken0000000000";
        static final String HOOK_SECRET = "hook-s3cret-1";

        GreenMail greenMail;

        @BeforeEach
        void startMail() {
            greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
            greenMail.start();
            greenMail.setUser("hone@example.com", "hone", SMTP_PASSWORD);
            servers.add(greenMail::stop);
        }

        @Test
        void noMessageRecordOrErrorShowsASecretOrAWebhookUrl() throws Exception {
            Receiver slack = receiver();
            Receiver hook = receiver();
            Receiver brokenSlack = receiver().answer(500, "see " + slack.url("/services/T/B/zzz") + " for details");
            Receiver github = receiver();
            String slackUrl = slack.url("/services/T0001/B0001/slackSecretPart");
            String hookUrl = hook.url("/hooks/hookSecretPart");
            ServerSpec.Channels server = new ServerSpec.Channels(new ServerSpec.Email(new ServerSpec.Smtp("127.0.0.1",
                    greenMail.getSmtp().getPort(), ServerSpec.Security.NONE, "hone", SMTP_PASSWORD),
                    "hone@example.com"), new ServerSpec.Slack(brokenSlack.url("/services/other/brokenSecretPart")),
                    new ServerSpec.GitHub(GITHUB_TOKEN, github.url("")), null, null);
            Spec.Notify notify = new Spec.Notify(Spec.EVENT_TYPES, new Spec.Email(List.of("ml@example.com"), false),
                    new Spec.Slack(slackUrl), new Spec.Webhook(hookUrl, HOOK_SECRET));
            // a training program that prints what it should not
            Event.Origin origin = new Event.Origin("digits", Events.SHA, "Ana", "ana@example.com",
                    "git@127.0.0.1:acme/digits.git");
            Event leaky = new Event.TrainingFailed(origin, 1, "cannot post to " + slackUrl, 1, List.of(
                    "SMTP_PASSWORD=" + SMTP_PASSWORD, "GITHUB_TOKEN=" + GITHUB_TOKEN, "HOOK_SECRET=" + HOOK_SECRET,
                    "webhook: " + hookUrl, "clone https://ana:" + GITHUB_TOKEN + "@github.com/acme/digits.git"));

            List<Delivery> outcome = dispatcher(server, "https://hone.example.com", WAIT).dispatch(run, leaky, notify);
            // the installation's broken Slack is overridden by hone.yaml's; try it on its own for its error
            List<Delivery> broken = dispatcher(server, null, WAIT).dispatch(run, Events.targetReached(origin), null);

            List<String> everything = new ArrayList<>();
            everything.add(console());
            everything.add(slack.next().body());
            everything.add(hook.next().body());
            everything.add(github.next().body());
            assertThat(greenMail.waitForIncomingEmail(5000, 1)).isTrue();
            everything.add(GreenMailUtil.getWholeMessage(greenMail.getReceivedMessages()[0]));
            store.outbox().ofRun(run).forEach(e -> everything.add(e.payload() + e.lastError() + e.detail()));
            store.notifications(run).forEach(n -> everything.add(n.detail()));
            outcome.forEach(d -> everything.add(d.detail()));
            broken.forEach(d -> everything.add(d.detail()));

            assertThat(outcome).extracting(Delivery::channel)
                    .containsExactly("console", "email", "slack", "webhook", "commit_status");
            assertThat(broken).extracting(Delivery::channel, Delivery::status).contains(tuple("slack", FAILED));
            assertThat(everything).allSatisfy(text -> assertThat(text).doesNotContain(SMTP_PASSWORD, GITHUB_TOKEN,
                    HOOK_SECRET, "slackSecretPart", "hookSecretPart", "brokenSecretPart", "/services/T/B/zzz"));
            assertThat(console()).contains("SMTP_PASSWORD=***", "https://hone.example.com/runs/" + run);
        }
    }

    @Test
    void keysAreStableAndTellRepeatedEventsApart() {
        assertThat(Dispatcher.key(7L, Events.targetReached(), "email.abc", 99))
                .isEqualTo("hone-run7-target_reached-email.abc");
        assertThat(Dispatcher.key(7L, Events.containerRestarted(), "slack.1", 99))
                .isEqualTo("hone-run7-container_restarted-hone-digits-serve-2-slack.1");
        assertThat(Dispatcher.key(null, new Event.TestMessage(new Event.Origin("my digits", null, null)), "console",
                99)).isEqualTo("hone-my_digits-99-test-console");
    }

    @Test
    void anEntryStillInTheOutboxIsCountedOnce() {
        dispatcher().dispatch(run, Events.targetReached(), null);

        assertThat(store.outbox().ofRun(run)).extracting(OutboxRow::status).containsExactly(SENT);
    }

    /** What a process left in the outbox, picked up by a long-running server's {@link Dispatcher#resume}. */
    @Nested
    class Resuming {

        @Test
        void anEntryGoesOutOnceItsRunsChannelsCanBeRebuiltAndOneOutsideARunThroughTheInstallation()
                throws Exception {
            Receiver slack = receiver();
            Receiver hook = receiver();
            ServerSpec.Channels installation = new ServerSpec.Channels(null, null, null, null,
                    new ServerSpec.Webhook(hook.url("/hone"), "k3y-s3cret"));
            Spec.Notify notify = notifying(List.of(TARGET_REACHED), new Spec.Slack(slack.url("/s")), null);
            Courier dead = new Courier(store.outbox(), time, time, TWICE);
            dead.close(); // it wrote, then died before sending
            Dispatcher dying = new Dispatcher(dead, store.outbox(), new Channels(installation, null, null), time,
                    Duration.ZERO);
            dying.dispatch(run, Events.targetReached(), notify);
            dying.dispatch(null, Events.targetReached(), null);
            Dispatcher live = new Dispatcher(courier, store.outbox(), new Channels(installation, null, null), time,
                    WAIT);

            live.resume(runId -> Optional.empty());
            assertThat(courier.drain(WAIT)).isTrue();

            assertThat(hook.requests()).as("the run's webhook entry rides on the installation's route").hasSize(2);
            assertThat(slack.requests()).as("the run's own Slack URL is in its spec, which cannot be read").isEmpty();
            assertThat(store.outbox().unfinished()).extracting(OutboxRow::channel, OutboxRow::status)
                    .containsExactly(tuple("slack", PENDING));

            Spec d = Spec.defaults("digits");
            Spec readable = new Spec(d.name(), d.train(), d.environment(), d.metric(), d.tune(), notify, d.serve());
            live.resume(runId -> Optional.of(readable));
            assertThat(courier.drain(WAIT)).isTrue();

            assertThat(slack.requests()).hasSize(1);
            assertThat(hook.requests()).hasSize(2);
            assertThat(store.outbox().unfinished()).isEmpty();
            assertThat(store.notifications(run)).extracting(NotificationRow::channel, NotificationRow::status)
                    .containsExactlyInAnyOrder(tuple("webhook", SENT), tuple("slack", SENT));
        }
    }
}
