package dev.hone.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.hone.spec.ServerSpec;
import dev.hone.testing.TestTls;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/** Every remote channel runs the {@link NotifierContract} against its real receiver. */
class ChannelContractTest {

    private final Http http = new Http(Duration.ofSeconds(5), Duration.ofSeconds(10));

    /** The channels that post over HTTP, against a real local HTTP server. */
    abstract class OverHttp extends NotifierContract {
        Receiver receiver;

        @BeforeEach
        void startReceiver() throws Exception {
            receiver = new Receiver();
        }

        @AfterEach
        void stopReceiver() {
            receiver.close();
        }

        @Override
        List<String> received() {
            // a check of the token before the first status (GitLab) carries no event
            return receiver.requests().stream().filter(r -> r.method().equals("POST")).map(Receiver.Request::body)
                    .toList();
        }

        @Override
        void breakReceiver() {
            receiver.answer(500, "{\"message\":\"internal error\"}");
        }
    }

    @Nested
    class Slack extends OverHttp {
        @Override
        Notifier notifier() {
            return new SlackNotifier(receiver.url("/services/T0001/B0001/slack-s3cret-path"), http);
        }

        @Override
        List<String> secrets() {
            return List.of("slack-s3cret-path");
        }
    }

    @Nested
    class SignedWebhook extends OverHttp {
        @Override
        Notifier notifier() {
            return new WebhookNotifier(receiver.url("/hooks/hone?key=hook-url-s3cret"), "hook-signing-s3cret", http);
        }

        @Override
        List<String> secrets() {
            return List.of("hook-url-s3cret", "hook-signing-s3cret");
        }
    }

    @Nested
    class GitHubStatus extends OverHttp {
        @Override
        Notifier notifier() {
            return new GitHubStatusNotifier("ghp_contract_s3cret", receiver.url(""), http);
        }

        @Override
        Event.Origin origin() {
            return new Event.Origin("digits", Events.SHA, "Ana", "ana@example.com", "git@127.0.0.1:acme/digits.git");
        }

        @Override
        List<String> secrets() {
            return List.of("ghp_contract_s3cret");
        }
    }

    @Nested
    class GitLabStatus extends OverHttp {
        @Override
        Notifier notifier() {
            return new GitLabStatusNotifier(receiver.url(""), "glpat-contract-s3cret", http);
        }

        @Override
        Event.Origin origin() {
            return new Event.Origin("digits", Events.SHA, "Ana", "ana@example.com",
                    "ssh://git@127.0.0.1:2222/ml/vision/digits.git");
        }

        @Override
        List<String> secrets() {
            return List.of("glpat-contract-s3cret");
        }
    }

    /** Mail through a real SMTP server (GreenMail) behind STARTTLS, with a login. */
    @Nested
    class Email extends NotifierContract {
        GreenMail greenMail;
        TlsFront front;

        @BeforeEach
        void startSmtp() throws Exception {
            greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
            greenMail.start();
            greenMail.setUser("hone@example.com", "hone", "smtp-s3cret");
            front = new TlsFront(TlsFront.Mode.STARTTLS, TestTls.get().server(), greenMail.getSmtp().getPort());
        }

        @AfterEach
        void stopSmtp() throws Exception {
            front.close();
            greenMail.stop();
        }

        @Override
        Notifier notifier() throws Exception {
            return EmailNotifierTest.notifier(new ServerSpec.Smtp("127.0.0.1", front.port(),
                    ServerSpec.Security.STARTTLS, "hone", "smtp-s3cret"), EmailNotifierTest.TEAM_AND_AUTHOR,
                    TestTls.get().trustingClient());
        }

        @Override
        List<String> secrets() {
            return List.of("smtp-s3cret");
        }

        @Override
        List<String> received() throws Exception {
            // one copy per recipient: one delivery is one Message-ID
            Map<String, String> byId = new LinkedHashMap<>();
            for (MimeMessage message : greenMail.getReceivedMessages()) {
                byId.putIfAbsent(message.getMessageID(), EmailNotifierTest.text(message));
            }
            return new ArrayList<>(byId.values());
        }

        @Override
        void breakReceiver() {
            greenMail.stop();
        }
    }
}
