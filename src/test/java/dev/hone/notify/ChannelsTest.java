package dev.hone.notify;

import static dev.hone.run.DeliveryStatus.FAILED;
import static dev.hone.run.DeliveryStatus.SENT;
import static dev.hone.run.DeliveryStatus.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.Spec;
import dev.hone.testing.FakeClock;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Which channels a run has: the installation's, joined with what its hone.yaml asks for. */
class ChannelsTest {

    static final PrintStream CONSOLE = new PrintStream(OutputStream.nullOutputStream());
    static final ServerSpec.Channels EVERYTHING = new ServerSpec.Channels(
            new ServerSpec.Email(new ServerSpec.Smtp("smtp.example.com", 587, ServerSpec.Security.STARTTLS, "hone",
                    "pw-123456"), "hone@example.com"),
            new ServerSpec.Slack("https://hooks.slack.com/services/SERVER"),
            new ServerSpec.GitHub("ghp_x", "https://api.github.com"),
            new ServerSpec.GitLab("https://gitlab.example.com", "glpat-x"),
            new ServerSpec.Webhook("https://hooks.example.com/server", "server-secret"));

    static List<String> routes(List<Notifier> channels) {
        return channels.stream().map(Notifier::route).toList();
    }

    @Test
    void withoutAnyConfigurationThereIsTheConsoleOnly() {
        assertThat(new Channels(ServerSpec.Channels.NONE, null, CONSOLE).of(null))
                .extracting(Notifier::channel).containsExactly("console");
        assertThat(new Channels(null, null, null).of(null)).isEmpty();
    }

    @Test
    void theInstallationsChannelsServeEveryRunButMailNeedsRecipients() {
        List<Notifier> channels = new Channels(EVERYTHING, null, CONSOLE).of(Spec.defaults("digits").notifications());

        assertThat(channels).extracting(Notifier::channel)
                .containsExactly("console", "slack", "webhook", "commit_status", "commit_status");
        assertThat(routes(channels)).doesNotHaveDuplicates();
    }

    @Test
    void honeYamlAddsRecipientsAndItsOwnSlackAndWebhook() {
        Spec.Notify notify = new Spec.Notify(Spec.EVENT_TYPES, new Spec.Email(List.of("ml@example.com"), true),
                new Spec.Slack("https://hooks.slack.com/services/REPO"),
                new Spec.Webhook("https://hooks.example.com/repo", "repo-secret"));
        Channels channels = new Channels(EVERYTHING, null, CONSOLE);

        List<Notifier> own = channels.of(notify);
        List<Notifier> installation = channels.of(null);

        assertThat(own).extracting(Notifier::channel)
                .containsExactly("console", "email", "slack", "webhook", "commit_status", "commit_status");
        assertThat(own.get(2).route()).isNotEqualTo(installation.get(1).route());
        assertThat(own.get(3).route()).isNotEqualTo(installation.get(2).route());
        assertThat(String.join(" ", routes(own))).doesNotContain("REPO", "repo", "secret", "hooks");
    }

    @Test
    void theSameConfigurationHasTheSameRoutesInAnotherProcess() {
        Spec.Notify notify = new Spec.Notify(Spec.EVENT_TYPES, new Spec.Email(List.of("ml@example.com"), true), null,
                null);

        assertThat(routes(new Channels(EVERYTHING, null, CONSOLE).of(notify)))
                .isEqualTo(routes(new Channels(EVERYTHING, null, CONSOLE).of(notify)));
    }

    @Test
    void aRunsLinkIsUnderThePublicUrl() {
        assertThat(new Channels(EVERYTHING, "https://hone.example.com/", CONSOLE).link(7L))
                .isEqualTo("https://hone.example.com/runs/7");
        assertThat(new Channels(EVERYTHING, null, CONSOLE).link(7L)).isNull();
        assertThat(new Channels(EVERYTHING, "https://hone.example.com", CONSOLE).link(null)).isNull();
    }

    @Test
    void everySecretOfEitherFileIsMasked() {
        Spec.Notify notify = new Spec.Notify(Spec.EVENT_TYPES, null,
                new Spec.Slack("https://hooks.slack.com/services/REPO"),
                new Spec.Webhook("https://hooks.example.com/repo", "repo-secret"));

        Redaction redaction = new Channels(EVERYTHING, null, CONSOLE).redaction(notify);

        assertThat(redaction.text("pw-123456 https://hooks.slack.com/services/SERVER ghp_x glpat-x server-secret "
                + "https://hooks.example.com/server https://hooks.slack.com/services/REPO repo-secret "
                + "https://hooks.example.com/repo"))
                .isEqualTo("*** *** *** *** *** *** *** *** ***");
    }

    @Nested
    class NotifyTest {
        @Test
        void aTestMessageGoesThroughEveryChannelAndEachResultIsReported() throws Exception {
            GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
            greenMail.start();
            try (Receiver slack = new Receiver(); Receiver hook = new Receiver().answer(503, "down for maintenance")) {
                ServerSpec.Channels server = new ServerSpec.Channels(new ServerSpec.Email(new ServerSpec.Smtp(
                        "127.0.0.1", greenMail.getSmtp().getPort(), ServerSpec.Security.NONE, null, null),
                        "hone@example.com"), null, null, null, null);
                Spec.Notify notify = new Spec.Notify(Spec.EVENT_TYPES, new Spec.Email(List.of("ml@example.com"), true),
                        new Spec.Slack(slack.url("/s")), new Spec.Webhook(hook.url("/h"), "s"));

                List<Delivery> results = new Channels(server, null, CONSOLE)
                        .test(new Event.Origin("digits", null, null), notify, FakeClock.START);

                assertThat(results).containsExactly(
                        new Delivery(Event.TestMessage.TYPE, "console", SENT, "printed"),
                        new Delivery(Event.TestMessage.TYPE, "email", SENT, "sent to ml@example.com"),
                        new Delivery(Event.TestMessage.TYPE, "slack", SENT, "posted to Slack"),
                        new Delivery(Event.TestMessage.TYPE, "webhook", FAILED, "the webhook answered HTTP 503 at "
                                + hook.url("/…") + ": down for maintenance"));
                assertThat(slack.next().body()).contains("digits: test notification from Hone");
                assertThat(greenMail.getReceivedMessages()).extracting(m -> m.getSubject())
                        .containsExactly("digits: test notification from Hone");
            } finally {
                greenMail.stop();
            }
        }

        @Test
        void aChannelWithNothingToSendToIsSkippedAndOneNotConfiguredSaysWhatToDo() {
            Spec.Notify authorOnly = new Spec.Notify(Spec.EVENT_TYPES, new Spec.Email(List.of(), true), null, null);

            assertThat(new Channels(ServerSpec.Channels.NONE, null, null)
                    .test(new Event.Origin("digits", null, null), authorOnly, FakeClock.START))
                    .containsExactly(new Delivery(Event.TestMessage.TYPE, "email", FAILED,
                            "hone.yaml names notify.email, but the "
                            + "installation has no SMTP server: set notify.email.smtp and notify.email.from in "
                            + "hone-server.yaml and pass it with --config"));
            assertThat(new Channels(EVERYTHING, null, null)
                    .test(new Event.Origin("digits", null, null), authorOnly, FakeClock.START))
                    .first().isEqualTo(new Delivery(Event.TestMessage.TYPE, "email", SKIPPED,
                            "nothing to send a test message to"));
        }
    }
}
