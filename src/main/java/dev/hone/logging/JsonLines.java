package dev.hone.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.JsonEscapeUtil;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * logback's {@link JsonEncoder}, one object a line: its {@code timestamp} (milliseconds), {@code level},
 * {@code threadName} and {@code throwable}, then {@code time} (ISO-8601, UTC), {@code logger}, {@code message} (the
 * formatted one) and, when the event happened within one, {@code run} and {@code trial}.
 */
final class JsonLines extends JsonEncoder {

    JsonLines() {
        setWithSequenceNumber(false);
        setWithNanoseconds(false);
        setWithLoggerName(false);
        setWithContext(false);
        setWithMarkers(false);
        setWithMDC(false);
        setWithKVPList(false);
        setWithMessage(false);
        setWithArguments(false);
        setWithFormattedMessage(false);
    }

    @Override
    protected void appendCustomFields(StringBuilder json, ILoggingEvent event) {
        field(json, "time", DateTimeFormatter.ISO_INSTANT.format(event.getInstant()));
        field(json, "logger", event.getLoggerName());
        field(json, "message", event.getFormattedMessage());
        Map<String, String> mdc = event.getMDCPropertyMap();
        for (String key : new String[] {LogFormat.RUN, LogFormat.TRIAL}) {
            String value = mdc == null ? null : mdc.get(key);
            if (value != null) {
                field(json, key, value);
            }
        }
    }

    private void field(StringBuilder json, String name, String value) {
        json.append(',');
        appenderMember(json, name, JsonEscapeUtil.jsonEscapeString(value == null ? "" : value));
    }
}
