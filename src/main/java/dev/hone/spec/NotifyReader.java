package dev.hone.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads {@code notify}: which events, and the channels a repository names (their servers are configured apart). */
final class NotifyReader {

    static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private NotifyReader() {}

    static Spec.Notify read(YamlValue v) {
        YamlMapping m = v.mapping(List.of("on", "email", "slack", "webhook"));
        return new Spec.Notify(events(m.get("on")), email(m.get("email")), slack(m.get("slack")),
                webhook(m.get("webhook")));
    }

    private static List<String> events(YamlValue v) {
        if (v.isMissing()) {
            return Spec.EVENT_TYPES;
        }
        List<String> events = new ArrayList<>();
        for (YamlValue item : v.items()) {
            item.oneOf(Spec.EVENT_TYPES).ifPresent(event -> {
                if (events.contains(event)) {
                    item.problem("lists " + event + " a second time — keep one");
                } else {
                    events.add(event);
                }
            });
        }
        return List.copyOf(events);
    }

    private static Spec.Email email(YamlValue v) {
        if (v.isMissing()) {
            return null;
        }
        YamlMapping m = v.mapping(List.of("to", "author"));
        YamlValue toValue = m.get("to");
        List<YamlValue> items = toValue.items();
        List<String> to = new ArrayList<>();
        for (YamlValue item : items) {
            item.string().ifPresent(address -> {
                if (EMAIL.matcher(address).matches()) {
                    to.add(address);
                } else {
                    item.problem("must be an email address such as ml-team@example.com, got " + item.got());
                }
            });
        }
        YamlValue authorValue = m.get("author");
        Optional<Boolean> author = authorValue.bool();
        boolean nobody = items.isEmpty() && (toValue.isMissing() || toValue.isList())
                && (authorValue.isMissing() || author.equals(Optional.of(false)));
        if (v.isMapping() && nobody) {
            v.problem("notifies nobody — add to: [ml-team@example.com] or author: true");
        }
        return new Spec.Email(List.copyOf(to), author.orElse(false));
    }

    private static Spec.Slack slack(YamlValue v) {
        if (v.isMissing()) {
            return null;
        }
        YamlMapping m = v.mapping(List.of("url")).disclosing(Disclosure.SECRET, "url");
        m.require("url", "the Slack incoming-webhook URL, e.g. url: \"${SLACK_WEBHOOK_URL}\"");
        return new Spec.Slack(httpUrl(m.get("url")));
    }

    private static Spec.Webhook webhook(YamlValue v) {
        if (v.isMissing()) {
            return null;
        }
        YamlMapping m = v.mapping(List.of("url", "secret")).disclosing(Disclosure.SECRET, "url", "secret");
        m.require("url", "where Hone posts the signed JSON events, e.g. url: https://ci.example.com/hone");
        return new Spec.Webhook(httpUrl(m.get("url")), m.get("secret").string().orElse(null));
    }

    /** An http:// or https:// URL, or null when not set. */
    static String httpUrl(YamlValue v) {
        String url = v.string().orElse(null);
        if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
            v.problem("must be an http:// or https:// URL, got " + v.got());
        }
        return url;
    }
}
