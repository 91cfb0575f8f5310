package dev.hone.notify;

import java.util.List;
import java.util.Map;

/** The two bodies of a mail: plain text (the event's body and the link) and HTML (a table of the key figures). */
final class MailBody {

    private MailBody() {
    }

    static String text(Notice notice) {
        return notice.event().body().stripTrailing() + "\n"
                + (notice.link() == null ? "" : "\nThe run in Hone: " + notice.link() + "\n")
                + "\n-- \nSent by Hone" + (notice.runId() == null ? "" : " for run " + notice.runId()) + ".\n";
    }

    static String html(Notice notice) {
        Event event = notice.event();
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><body style=\"font-family: sans-serif\">\n");
        html.append("<h2 style=\"font-size: 1.2em\">").append(escape(event.message())).append("</h2>\n");
        html.append("<table cellpadding=\"4\" style=\"border-collapse: collapse\">\n");
        for (Map.Entry<String, String> fact : Facts.of(event).entrySet()) {
            html.append("<tr><th align=\"left\">").append(escape(fact.getKey())).append("</th><td>")
                    .append(escape(fact.getValue())).append("</td></tr>\n");
        }
        html.append("</table>\n");
        List<String> tail = Facts.tail(event);
        if (!tail.isEmpty()) {
            html.append("<h3 style=\"font-size: 1em\">").append(escape(Facts.tailTitle(event))).append("</h3>\n")
                    .append("<pre style=\"background: #f4f4f4; padding: 8px\">")
                    .append(escape(String.join("\n", tail))).append("</pre>\n");
        }
        if (notice.link() != null) {
            html.append("<p><a href=\"").append(escape(notice.link())).append("\">Open the run in Hone</a></p>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
