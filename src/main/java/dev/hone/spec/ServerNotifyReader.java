package dev.hone.spec;

import dev.hone.spec.ServerSpec.Channels;
import dev.hone.spec.ServerSpec.Security;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads {@code notify} of {@code hone-server.yaml}: the channels' servers and credentials, which a repository's
 * {@code hone.yaml} only names.
 */
final class ServerNotifyReader {

    /** {@code hone@example.com} or {@code Hone <hone@example.com>}. */
    private static final Pattern FROM =
            Pattern.compile(NotifyReader.EMAIL.pattern() + "|[^<>]*<[^@\\s<>]+@[^@\\s<>]+>");

    private ServerNotifyReader() {}

    static Channels read(YamlValue v) {
        YamlMapping m = v.mapping(List.of("email", "slack", "github", "gitlab", "webhook"));
        return new Channels(email(m.get("email")), slack(m.get("slack")), github(m.get("github")),
                gitlab(m.get("gitlab")), webhook(m.get("webhook")));
    }

    private static ServerSpec.Email email(YamlValue v) {
        if (v.isMissing()) {
            return null;
        }
        YamlMapping m = v.mapping(List.of("smtp", "from"));
        YamlValue smtp = m.get("smtp");
        if (v.isMapping() && smtp.isMissing()) {
            smtp.problem("is required — the server that sends the mail, e.g. smtp: {host: smtp.example.com}");
        }
        m.require("from", "the sender's address, e.g. from: hone@example.com");
        YamlValue fromValue = m.get("from");
        String from = fromValue.string().orElse(null);
        if (from != null && !FROM.matcher(from).matches()) {
            fromValue.problem("must be an email address such as hone@example.com or \"Hone <hone@example.com>\", "
                    + "got " + fromValue.got());
        }
        return new ServerSpec.Email(smtp.isMissing() ? null : smtp(smtp), from);
    }

    private static ServerSpec.Smtp smtp(YamlValue v) {
        YamlMapping m = v.mapping(List.of("host", "port", "security", "username", "password"))
                .disclosing(Disclosure.SECRET, "password");
        m.require("host", "the SMTP server, e.g. host: smtp.example.com");
        Security security = m.get("security").oneOf(Security.class).orElse(Security.STARTTLS);
        YamlValue username = m.get("username");
        YamlValue password = m.get("password");
        if (v.isMapping() && !username.isMissing() && password.isMissing()) {
            password.problem("is required with a username — e.g. password: \"${SMTP_PASSWORD}\"");
        } else if (v.isMapping() && username.isMissing() && !password.isMissing()) {
            username.problem("is required with a password — e.g. username: \"${SMTP_USER}\"");
        }
        return new ServerSpec.Smtp(
                m.get("host").string().orElse(null),
                m.get("port").intIn(1, 65535, "a port number between 1 and 65535").orElse(security.defaultPort()),
                security, username.string().orElse(null), password.string().orElse(null));
    }

    private static ServerSpec.Slack slack(YamlValue v) {
        if (v.isMissing()) {
            return null;
        }
        YamlMapping m = v.mapping(List.of("url")).disclosing(Disclosure.SECRET, "url");
        m.require("url", "the Slack incoming-webhook URL, e.g. url: \"${SLACK_WEBHOOK_URL}\"");
        return new ServerSpec.Slack(NotifyReader.httpUrl(m.get("url")));
    }

    private static ServerSpec.GitHub github(YamlValue v) {
        if (v.isMissing()) {
            return null;
        }
        YamlMapping m = v.mapping(List.of("token", "api_url")).disclosing(Disclosure.SECRET, "token");
        m.require("token", "a token that may set commit statuses, e.g. token: \"${GITHUB_TOKEN}\"");
        String apiUrl = NotifyReader.httpUrl(m.get("api_url"));
        return new ServerSpec.GitHub(m.get("token").string().orElse(null),
                apiUrl == null ? ServerSpec.DEFAULT_GITHUB_API_URL : ServerReader.withoutTrailingSlash(apiUrl));
    }

    private static ServerSpec.GitLab gitlab(YamlValue v) {
        if (v.isMissing()) {
            return null;
        }
        YamlMapping m = v.mapping(List.of("url", "token")).disclosing(Disclosure.SECRET, "token");
        m.require("token", "a token with the api scope, e.g. token: \"${GITLAB_TOKEN}\"");
        String url = NotifyReader.httpUrl(m.get("url"));
        return new ServerSpec.GitLab(url == null ? ServerSpec.DEFAULT_GITLAB_URL
                : ServerReader.withoutTrailingSlash(url), m.get("token").string().orElse(null));
    }

    private static ServerSpec.Webhook webhook(YamlValue v) {
        if (v.isMissing()) {
            return null;
        }
        YamlMapping m = v.mapping(List.of("url", "secret")).disclosing(Disclosure.SECRET, "url", "secret");
        m.require("url", "where Hone posts every event as signed JSON, e.g. url: \"${HONE_WEBHOOK_URL}\"");
        m.require("secret", "the key Hone signs each request with, e.g. secret: \"${HONE_WEBHOOK_SECRET}\"");
        return new ServerSpec.Webhook(NotifyReader.httpUrl(m.get("url")), m.get("secret").string().orElse(null));
    }
}
