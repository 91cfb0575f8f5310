package dev.hone.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.Spec;
import dev.hone.testing.Ports;
import dev.hone.testing.TestTls;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Mail through a real SMTP server (GreenMail): what it holds, who gets it, and TLS with a login. */
class EmailNotifierTest {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final String FROM = "Hone <hone@example.com>";
    static final Spec.Email TEAM_AND_AUTHOR = new Spec.Email(List.of("ml-team@example.com"), true);

    GreenMail greenMail;

    @BeforeEach
    void start() {
        greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
    }

    @AfterEach
    void stop() {
        greenMail.stop();
    }

    EmailNotifier plain(Spec.Email recipients) {
        return notifier(new ServerSpec.Smtp("127.0.0.1", greenMail.getSmtp().getPort(), ServerSpec.Security.NONE,
                null, null), recipients, null);
    }

    static EmailNotifier notifier(ServerSpec.Smtp smtp, Spec.Email recipients, SSLSocketFactory tls) {
        return new EmailNotifier(new ServerSpec.Email(smtp, FROM), recipients, tls, WAIT, WAIT);
    }

    MimeMessage onlyMessage() {
        assertThat(greenMail.waitForIncomingEmail(5000, 1)).isTrue();
        return greenMail.getReceivedMessages()[0];
    }

    static String text(MimeMessage message) throws Exception {
        return (String) ((MimeMultipart) message.getContent()).getBodyPart(0).getContent();
    }

    static String html(MimeMessage message) throws Exception {
        return (String) ((MimeMultipart) message.getContent()).getBodyPart(1).getContent();
    }

    /** How many mails the mailbox of {@code address} holds (GreenMail delivers one copy per recipient). */
    int inbox(String address) throws Exception {
        var user = greenMail.getUserManager().getUserByEmail(address);
        return user == null ? 0 : greenMail.getManagers().getImapHostManager().getInbox(user).getMessageCount();
    }

    static List<String> recipients(MimeMessage message) throws Exception {
        return Arrays.stream(message.getAllRecipients()).map(Address::toString).toList();
    }

    @Nested
    class OverPlainSmtp {
        @Test
        void theTrainingFailedMailHoldsTheExceptionLineAndTheLogTail() throws Exception {
            Notice notice = Events.notice(Events.trainingFailed());

            String detail = plain(TEAM_AND_AUTHOR).send(notice);

            MimeMessage mail = onlyMessage();
            assertThat(mail.getSubject()).isEqualTo("digits: training failed in trial 3: ValueError: Input contains "
                    + "NaN, infinity or a value too large for dtype('float64'). (exit 1)");
            assertThat(text(mail)).contains("exit code: 1", "commit: " + Events.SHA,
                    "author: Ana Lima <ana@example.com>",
                    "last log lines:", "  File \"main.py\", line 12, in <module>",
                    "ValueError: Input contains NaN, infinity or a value too large for dtype('float64').",
                    "The run in Hone: https://hone.example.com/runs/7");
            assertThat(html(mail)).contains("<th align=\"left\">Error</th>", "Last log lines",
                    "File &quot;main.py&quot;, line 12, in &lt;module&gt;",
                    "<a href=\"https://hone.example.com/runs/7\">Open the run in Hone</a>");
            assertThat(mail.getContentType()).startsWith("multipart/alternative");
            assertThat(detail).isEqualTo("sent to ml-team@example.com, ana@example.com");
        }

        @Test
        void aMailSaysTheVersionOfTheDataTheRunTrainedOn() throws Exception {
            String hash = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
            Event.Origin origin = new Event.Origin("digits", Events.SHA, "Ana Lima <ana@example.com>",
                    "ana@example.com", "https://github.com/acme/digits.git", java.util.Map.of(
                    "/srv/data/train.csv", hash));
            plain(TEAM_AND_AUTHOR).send(Events.notice(Events.targetReached(origin)));

            MimeMessage mail = onlyMessage();
            assertThat(text(mail)).contains("data: /srv/data/train.csv at " + hash);
            assertThat(html(mail)).contains("<th align=\"left\">Data</th>",
                    "/srv/data/train.csv sha256:0123456789ab");
        }

        @Test
        void theTargetReachedMailHoldsTheValueTheTargetTheTrialsAndTheParameters() throws Exception {
            plain(TEAM_AND_AUTHOR).send(Events.notice(Events.targetReached()));

            MimeMessage mail = onlyMessage();
            assertThat(mail.getSubject()).isEqualTo("digits: accuracy 0.963 ≥ 0.96 after 5 trials");
            assertThat(text(mail)).contains("best trial: 4", "parameters: C=3.2, kernel=rbf", "duration: 1m35s");
            assertThat(html(mail)).contains("<th align=\"left\">accuracy</th><td>0.963</td>",
                    "<th align=\"left\">Target</th><td>≥ 0.96</td>", "<th align=\"left\">Trials</th><td>5</td>",
                    "<th align=\"left\">Parameters</th><td>C=3.2, kernel=rbf</td>");
        }

        @Test
        void theCommitsAuthorReceivesItWithAuthorTrue() throws Exception {
            plain(TEAM_AND_AUTHOR).send(Events.notice(Events.targetReached()));

            assertThat(greenMail.waitForIncomingEmail(5000, 2)).isTrue();
            assertThat(inbox("ana@example.com")).isEqualTo(1);
            assertThat(inbox("ml-team@example.com")).isEqualTo(1);
            assertThat(recipients(greenMail.getReceivedMessages()[0]))
                    .containsExactly("ml-team@example.com", "ana@example.com");
        }

        @Test
        void withoutAuthorTrueOnlyTheListReceivesIt() throws Exception {
            plain(new Spec.Email(List.of("ml-team@example.com"), false)).send(Events.notice(Events.targetReached()));

            assertThat(recipients(onlyMessage())).containsExactly("ml-team@example.com");
            assertThat(inbox("ana@example.com")).isZero();
        }

        @Test
        void anAuthorOnTheListAlreadyGetsOneMail() throws Exception {
            plain(new Spec.Email(List.of("Ana@Example.com"), true)).send(Events.notice(Events.targetReached()));

            assertThat(recipients(onlyMessage())).containsExactly("Ana@Example.com");
        }

        @Test
        void theMessageIdIsMadeFromTheIdempotencyKey() throws Exception {
            plain(TEAM_AND_AUTHOR).send(Events.notice(Events.targetReached()));

            assertThat(onlyMessage().getMessageID()).isEqualTo("<hone-run7-target_reached-test@example.com>");
        }

        @Test
        void withNoRecipientItTakesNoEvent() {
            EmailNotifier authorOnly = plain(new Spec.Email(List.of(), true));

            assertThat(authorOnly.accepts(Events.targetReached())).isTrue();
            assertThat(authorOnly.accepts(Events.targetReached(new Event.Origin("digits", null, null)))).isFalse();
        }
    }

    @Nested
    class OverTls {
        @Test
        void startTlsWithALoginDeliversOverTheUpgradedConnection() throws Exception {
            greenMail.setUser("hone@example.com", "hone", "s3cret");
            try (TlsFront front = new TlsFront(TlsFront.Mode.STARTTLS, TestTls.get().server(),
                    greenMail.getSmtp().getPort())) {
                EmailNotifier notifier = notifier(new ServerSpec.Smtp("127.0.0.1", front.port(),
                        ServerSpec.Security.STARTTLS, "hone", "s3cret"), TEAM_AND_AUTHOR,
                        TestTls.get().trustingClient());

                notifier.send(Events.notice(Events.trainingFailed()));

                assertThat(onlyMessage().getSubject()).startsWith("digits: training failed in trial 3");
                assertThat(front.handshakes()).isEqualTo(1);
                assertThat(front.clearCommands()).as("no login in the clear").hasSize(2)
                        .allMatch(c -> c.startsWith("EHLO") || c.equals("STARTTLS"));
            }
        }

        @Test
        void aWrongPasswordIsRefusedForGood() throws Exception {
            greenMail.setUser("hone@example.com", "hone", "s3cret");
            try (TlsFront front = new TlsFront(TlsFront.Mode.STARTTLS, TestTls.get().server(),
                    greenMail.getSmtp().getPort())) {
                EmailNotifier notifier = notifier(new ServerSpec.Smtp("127.0.0.1", front.port(),
                        ServerSpec.Security.STARTTLS, "hone", "wrong"), TEAM_AND_AUTHOR,
                        TestTls.get().trustingClient());

                assertThatThrownBy(() -> notifier.send(Events.notice(Events.targetReached())))
                        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse())
                        .hasMessageStartingWith(
                                "SMTP server 127.0.0.1:" + front.port() + " refused the login of hone: ")
                        .hasMessageEndingWith("; check the SMTP username and password")
                        .hasMessageNotContaining("wrong");
            }
        }

        @Test
        void sslDeliversOverTls() throws Exception {
            try (TlsFront front = new TlsFront(TlsFront.Mode.SSL, TestTls.get().server(),
                    greenMail.getSmtp().getPort())) {
                EmailNotifier notifier = notifier(new ServerSpec.Smtp("127.0.0.1", front.port(),
                        ServerSpec.Security.SSL, null, null), TEAM_AND_AUTHOR, TestTls.get().trustingClient());

                notifier.send(Events.notice(Events.targetReached()));

                assertThat(onlyMessage().getSubject()).isEqualTo("digits: accuracy 0.963 ≥ 0.96 after 5 trials");
                assertThat(front.handshakes()).isEqualTo(1);
            }
        }

        @Test
        void anUntrustedCertificateIsATlsFailureThatMayPassLater() throws Exception {
            try (TlsFront front = new TlsFront(TlsFront.Mode.STARTTLS, TestTls.get().server(),
                    greenMail.getSmtp().getPort())) {
                EmailNotifier notifier = notifier(new ServerSpec.Smtp("127.0.0.1", front.port(),
                        ServerSpec.Security.STARTTLS, null, null), TEAM_AND_AUTHOR, null);

                assertThatThrownBy(() -> notifier.send(Events.notice(Events.targetReached())))
                        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue())
                        .hasMessageStartingWith("TLS failure with SMTP server 127.0.0.1:" + front.port() + ": ");
                assertThat(greenMail.getReceivedMessages()).isEmpty();
            }
        }
    }

    @Nested
    class Failures {
        @Test
        void anUnreachableServerMayAnswerLater() throws Exception {
            int closed = Ports.free();
            EmailNotifier notifier = notifier(new ServerSpec.Smtp("127.0.0.1", closed, ServerSpec.Security.NONE,
                    null, null), TEAM_AND_AUTHOR, null);

            assertThatThrownBy(() -> notifier.send(Events.notice(Events.targetReached())))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessage("cannot reach SMTP server 127.0.0.1:" + closed + ": connection refused");
        }

        @Test
        void anInvalidAddressFailsForGood() {
            EmailNotifier notifier = plain(new Spec.Email(List.of("ml-team at example"), false));

            assertThatThrownBy(() -> notifier.send(Events.notice(Events.targetReached())))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessageStartingWith("invalid address \"ml-team at example\": ");
            assertThat(greenMail.getReceivedMessages()).isEmpty();
        }
    }
}
