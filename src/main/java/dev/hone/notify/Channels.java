package dev.hone.notify;

import dev.hone.store.Store;
import java.time.InstantSource;
import dev.hone.run.DeliveryStatus;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.Spec;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLSocketFactory;

/**
 * The channels of a run: the installation's ({@code notify:} of hone-server.yaml: SMTP, Slack, webhook, GitHub,
 * GitLab) joined with what the repository's hone.yaml asks for ({@code notify:}: mail recipients, its own Slack or
 * webhook URL, which take precedence). Also the link to a run when {@code public_url} is set, the secrets that no
 * message may show, and {@code hone notify test}.
 */
public final class Channels {

    private final ServerSpec.Channels server;
    private final String publicUrl;
    private final ConsoleNotifier console;
    private final Http http;
    private final SSLSocketFactory tls;
    private final Duration connect;
    private final Duration read;
    /** Where the comments on pull requests are remembered; null: no comments ({@code hone run}). */
    private volatile Store comments;
    private volatile InstantSource clock = InstantSource.system();

    /**
     * @param server    the installation's channels; {@link ServerSpec.Channels#NONE} when there is no config file
     * @param publicUrl the dashboard's address, for links; null: no links
     * @param console   where the console channel prints; null: no console channel
     */
    public Channels(ServerSpec.Channels server, String publicUrl, PrintStream console) {
        this(server, publicUrl, console == null ? null : new ConsoleNotifier(console), null, Http.CONNECT, Http.READ);
    }

    /**
     * The channels of one {@code hone run}, which ends with the trial table and a line saying the outcome: its
     * console does not print the outcome's event again, only the failing trial's last log lines.
     */
    public static Channels forOneRun(ServerSpec.Channels server, String publicUrl, PrintStream console) {
        return new Channels(server, publicUrl, new ConsoleNotifier(console, true), null, Http.CONNECT, Http.READ);
    }

    /** With the trusted certificates ({@code tls} null: the JVM's) and the waits of every channel. */
    Channels(ServerSpec.Channels server, String publicUrl, PrintStream console, SSLSocketFactory tls,
             Duration connect, Duration read) {
        this(server, publicUrl, console == null ? null : new ConsoleNotifier(console), tls, connect, read);
    }

    private Channels(ServerSpec.Channels server, String publicUrl, ConsoleNotifier console, SSLSocketFactory tls,
                     Duration connect, Duration read) {
        this.server = server == null ? ServerSpec.Channels.NONE : server;
        this.publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.replaceAll("/+$", "");
        this.console = console;
        this.http = new Http(connect, read);
        this.tls = tls;
        this.connect = connect;
        this.read = read;
    }

    /**
     * Comments the result of a pull request's run on the request (GitHub, GitLab: where the installation sets
     * their commit statuses), one comment per request edited by each run, its id kept in {@code store}; returns
     * these channels.
     */
    public Channels commentingOnPullRequests(Store store, InstantSource clock) {
        this.comments = store;
        this.clock = clock;
        return this;
    }

    /** Every channel configured for a run whose hone.yaml says {@code notify} (null: nothing). */
    public List<Notifier> of(Spec.Notify notify) {
        List<Notifier> channels = new ArrayList<>();
        if (console != null) {
            channels.add(console);
        }
        Spec.Email email = notify == null ? null : notify.email();
        if (email != null && server.email() != null) {
            channels.add(new EmailNotifier(server.email(), email, tls, connect, read));
        } else if (email != null) {
            channels.add(new UnconfiguredNotifier("email", "hone.yaml names notify.email, but the installation has "
                    + "no SMTP server: set notify.email.smtp and notify.email.from in hone-server.yaml and pass it "
                    + "with --config"));
        }
        String slack = notify != null && notify.slack() != null ? notify.slack().url()
                : server.slack() == null ? null : server.slack().url();
        if (slack != null) {
            channels.add(new SlackNotifier(slack, http));
        }
        Spec.Webhook hook = notify == null ? null : notify.webhook();
        if (hook != null) {
            channels.add(new WebhookNotifier(hook.url(), hook.secret(), http));
        } else if (server.webhook() != null) {
            channels.add(new WebhookNotifier(server.webhook().url(), server.webhook().secret(), http));
        }
        if (server.github() != null) {
            channels.add(new GitHubStatusNotifier(server.github().token(), server.github().apiUrl(), http));
        }
        if (server.gitlab() != null) {
            channels.add(new GitLabStatusNotifier(server.gitlab().url(), server.gitlab().token(), http));
        }
        if (comments != null && server.github() != null) {
            channels.add(new PullRequestComment(PullRequestComment.Forge.GITHUB, server.github().apiUrl(),
                    server.github().token(), http, comments, clock));
        }
        if (comments != null && server.gitlab() != null) {
            channels.add(new PullRequestComment(PullRequestComment.Forge.GITLAB, server.gitlab().url(),
                    server.gitlab().token(), http, comments, clock));
        }
        return channels;
    }

    /**
     * {@code hone notify test}: sends a test message through every channel of {@code notify} at once, now, without
     * the outbox or retries, and reports each: sent, failed (why), or skipped (nothing to send it to, e.g. no
     * recipient). {@code now} tells this test's messages from earlier ones (their keys).
     */
    public List<Delivery> test(Event.Origin origin, Spec.Notify notify, Instant now) {
        Event event = new Event.TestMessage(origin);
        Redaction redaction = redaction(notify);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Delivery>> results = of(notify).stream()
                    .map(channel -> CompletableFuture.supplyAsync(() -> test(channel, event, now, redaction), threads))
                    .toList();
            return results.stream().map(CompletableFuture::join).toList();
        }
    }

    private static Delivery test(Notifier channel, Event event, Instant now, Redaction redaction) {
        if (!channel.accepts(event)) {
            return new Delivery(event.type(), channel.channel(), DeliveryStatus.SKIPPED,
                    "nothing to send a test message to");
        }
        Notice notice = new Notice(null, event, null, "hone-test-" + now.toEpochMilli() + "-" + channel.route());
        try {
            return new Delivery(event.type(), channel.channel(), DeliveryStatus.SENT,
                    redaction.error(channel.send(notice)));
        } catch (RuntimeException e) {
            return new Delivery(event.type(), channel.channel(), DeliveryStatus.FAILED,
                    redaction.error(e.getMessage()));
        }
    }

    /** The run's page in the dashboard, or null without {@code public_url} or outside a run. */
    public String link(Long runId) {
        return publicUrl == null || runId == null ? null : publicUrl + "/runs/" + runId;
    }

    /** Masks every secret these channels hold, wherever a message might repeat one. */
    Redaction redaction(Spec.Notify notify) {
        List<String> secrets = new ArrayList<>();
        if (server.email() != null && server.email().smtp() != null) {
            secrets.add(server.email().smtp().password());
        }
        if (server.slack() != null) {
            secrets.add(server.slack().url());
        }
        if (server.webhook() != null) {
            secrets.add(server.webhook().url());
            secrets.add(server.webhook().secret());
        }
        if (server.github() != null) {
            secrets.add(server.github().token());
        }
        if (server.gitlab() != null) {
            secrets.add(server.gitlab().token());
        }
        if (notify != null && notify.slack() != null) {
            secrets.add(notify.slack().url());
        }
        if (notify != null && notify.webhook() != null) {
            secrets.add(notify.webhook().url());
            secrets.add(notify.webhook().secret());
        }
        return new Redaction(secrets);
    }
}
