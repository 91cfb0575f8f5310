package dev.hone.spec;

/**
 * One mistake in a configuration file: where it is and what is wrong. {@code line} and {@code column} are 1-based;
 * both are 0 when the problem has no place in the file (a command-line flag, a missing entrypoint). {@code key} is
 * the dotted path of the setting ({@code tune.params.C.min}, {@code notify.on[2]}), empty for the whole file.
 */
public record Problem(String file, int line, int column, String key, String message) {

    /** True when the problem points at a line and column of the file. */
    public boolean hasPosition() {
        return line > 0;
    }

    /** The compiler-style line editors and terminals link: {@code hone.yaml:12:5: tune.max_trials: must be ...}. */
    public String render() {
        StringBuilder s = new StringBuilder(file);
        if (hasPosition()) {
            s.append(':').append(line).append(':').append(column);
        }
        s.append(": ");
        if (!key.isEmpty()) {
            s.append(key).append(": ");
        }
        return s.append(message).toString();
    }
}
