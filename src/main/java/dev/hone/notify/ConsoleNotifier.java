package dev.hone.notify;

import java.io.PrintStream;
import java.util.List;

/**
 * Prints events to the terminal (the embedded default). For {@code hone serve} every event is printed whole. For
 * one {@code hone run}, which ends with the trial table and one line saying the outcome, the outcome's event is not
 * printed again: only what that line does not say, the last lines the failing trial or rebuild program printed.
 */
public final class ConsoleNotifier implements Notifier {

    private final PrintStream out;
    private final boolean oneRun;

    public ConsoleNotifier(PrintStream out) {
        this(out, false);
    }

    /** @param oneRun the console of one {@code hone run}, whose own last lines tell the outcome */
    ConsoleNotifier(PrintStream out, boolean oneRun) {
        this.out = out;
        this.oneRun = oneRun;
    }

    @Override
    public String channel() {
        return "console";
    }

    @Override
    public String send(Notice notice) {
        Event event = notice.event();
        String text = oneRun ? besideTheOutcome(notice) : whole(notice);
        if (text.isEmpty()) {
            return "told by the run's last line";
        }
        synchronized (out) {
            out.println();
            out.println(text);
            out.flush();
        }
        return "printed";
    }

    private static String whole(Notice notice) {
        String text = notice.event().body().stripTrailing() + (notice.link() == null ? "" : "\nrun: " + notice.link());
        return "[" + notice.event().type() + "] " + text.replace("\n", "\n  ");
    }

    /** What one run's console shows of its event: its log tail for a failure, nothing for the other outcomes. */
    private static String besideTheOutcome(Notice notice) {
        return switch (notice.event()) {
            case Event.TrainingFailed failed when failed.trial() > 0 ->
                    tail("last log lines of trial " + failed.trial(), failed.tail());
            case Event.TrainingFailed failed -> tail("last log lines", failed.tail());
            case Event.RebuildFailed failed -> tail("last lines of the rebuild program", failed.tail());
            case Event.TargetReached reached -> "";
            case Event.TargetMissed missed -> "";
            default -> whole(notice);
        };
    }

    private static String tail(String title, List<String> lines) {
        return Event.block(title, lines).stripTrailing();
    }
}
