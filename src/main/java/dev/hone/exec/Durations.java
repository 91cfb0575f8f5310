package dev.hone.exec;

import java.time.Duration;

/** Durations as people write them: 500ms, 1.5s, 30s, 2m, 1m30s, 1h30m. */
final class Durations {

    private Durations() {}

    static String human(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1000) {
            return millis + "ms";
        }
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        long seconds = millis / 1000 % 60;
        long rest = millis % 1000;
        StringBuilder text = new StringBuilder();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        if (seconds > 0 || rest > 0) {
            text.append(seconds);
            if (rest > 0) {
                text.append('.').append(String.format("%03d", rest).replaceAll("0+$", ""));
            }
            text.append('s');
        }
        return text.toString();
    }
}
