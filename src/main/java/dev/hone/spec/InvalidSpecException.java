package dev.hone.spec;

import dev.hone.error.HoneException;
import java.util.List;

/**
 * A configuration Hone cannot run: every problem found, not just the first. The message lists them one per line,
 * in the order they appear in the file, and ends with what to do.
 */
public final class InvalidSpecException extends HoneException {

    static final String HONE_YAML_ADVICE = " and run `hone validate` to check.";

    private final String file;
    private final List<Problem> problems;

    public InvalidSpecException(String file, List<Problem> problems) {
        this(file, problems, HONE_YAML_ADVICE);
    }

    /** {@code advice} ends the message after "Fix these in FILE", e.g. " and start Hone again.". */
    InvalidSpecException(String file, List<Problem> problems, String advice) {
        super(message(file, problems, advice));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidSpecException needs at least one problem");
        }
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    /** A single problem with no position in the file, such as a bad command-line flag. */
    public static InvalidSpecException of(String file, String key, String message) {
        return new InvalidSpecException(file, List.of(new Problem(file, 0, 0, key, message)));
    }

    public String file() {
        return file;
    }

    public List<Problem> problems() {
        return problems;
    }

    /** Each problem as {@code hone.yaml:12:5: key: message}. */
    public List<String> problemLines() {
        return problems.stream().map(Problem::render).toList();
    }

    private static String message(String file, List<Problem> problems, String advice) {
        StringBuilder s = new StringBuilder();
        problems.forEach(p -> s.append(p.render()).append('\n'));
        if (problems.stream().anyMatch(Problem::hasPosition)) {
            s.append(problems.size() == 1 ? "Fix this in " : "Fix these in ")
                    .append(file).append(advice);
        } else {
            s.setLength(Math.max(0, s.length() - 1));
        }
        return s.toString();
    }
}
