package dev.hone.notify;

import java.io.PrintStream;

/** Prints events to the terminal (the embedded default). */
public final class ConsoleNotifier implements Notifier {

    private final PrintStream out;

    public ConsoleNotifier(PrintStream out) {
        this.out = out;
    }

    @Override
    public String channel() {
        return "console";
    }

    @Override
    public String send(Notice notice) {
        Event event = notice.event();
        String text = event.body().stripTrailing() + (notice.link() == null ? "" : "\nrun: " + notice.link());
        synchronized (out) {
            out.println();
            out.println("[" + event.type() + "] " + text.replace("\n", "\n  "));
            out.flush();
        }
        return "printed";
    }
}
