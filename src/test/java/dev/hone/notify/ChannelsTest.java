package dev.hone.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.spec.ServerSpec;
import dev.hone.spec.Spec;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
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
        Spec.Notify notify = new Spec.Notify(Event.TYPES, new Spec.Email(List.of("ml@example.com"), true),
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
        Spec.Notify notify = new Spec.Notify(Event.TYPES, new Spec.Email(List.of("ml@example.com"), true), null,
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
        Spec.Notify notify = new Spec.Notify(Event.TYPES, null, new Spec.Slack("https://hooks.slack.com/services/REPO"),
                new Spec.Webhook("https://hooks.example.com/repo", "repo-secret"));

        Redaction redaction = new Channels(EVERYTHING, null, CONSOLE).redaction(notify);

        assertThat(redaction.text("pw-123456 https://hooks.slack.com/services/SERVER ghp_x glpat-x server-secret "
                + "https://hooks.example.com/server https://hooks.slack.com/services/REPO repo-secret "
                + "https://hooks.example.com/repo"))
                .isEqualTo("*** *** *** *** *** *** *** *** ***");
    }
}
