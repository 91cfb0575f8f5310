package dev.hone.spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** Collects every problem of one file while it is read, so the user sees all of them at once. */
final class Problems {

    private final String file;
    private final String advice;
    private final List<Problem> found = new ArrayList<>();
    /** The nodes a {@code HONE_*} variable set, with its name: their problems name it instead of a line. */
    private final Map<Node, String> fromEnvironment = new IdentityHashMap<>();

    Problems(String file) {
        this(file, InvalidSpecException.HONE_YAML_ADVICE);
    }

    /** {@code advice} ends the exception's message: what to do once the problems are fixed. */
    Problems(String file, String advice) {
        this.file = file;
        this.advice = advice;
    }

    String file() {
        return file;
    }

    /** A problem at {@code node}'s first character, or in the variable that set it. */
    void add(Node node, String key, String message) {
        if (node != null && fromEnvironment.containsKey(node)) {
            fromEnvironment(fromEnvironment.get(node), key, message);
            return;
        }
        Mark mark = node == null ? null : node.getStartMark().orElse(null);
        add(mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1, key, message);
    }

    /** A problem at a 1-based line and column. */
    void add(int line, int column, String key, String message) {
        found.add(new Problem(file, line, column, key, message));
    }

    /** Marks {@code node} as set by the variable {@code variable}; returns it. */
    <N extends Node> N fromEnvironment(N node, String variable) {
        fromEnvironment.put(node, variable);
        return node;
    }

    /** A problem in the value of the variable {@code variable}. */
    void fromEnvironment(String variable, String key, String message) {
        found.add(new Problem("environment variable " + variable, 0, 0, key, message));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** Throws when anything was found; the problems come in file order. */
    void throwIfAny() {
        if (!found.isEmpty()) {
            throw new InvalidSpecException(file, found.stream()
                    .sorted(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column))
                    .toList(), advice);
        }
    }
}
