package dev.hone.tune;

import java.util.List;
import java.util.Map;

/**
 * Runs the team's rebuild program (DESIGN §4) after a trial that missed the target. Implemented by the pipeline
 * over the run's executor session; the study only sees its outcome.
 */
@FunctionalInterface
public interface Rebuilder {

    Outcome rebuild(List<Trial> history);

    sealed interface Outcome permits Next, Failed {}

    /**
     * @param params the next trial's parameters from the program's last stdout line, or empty
     * @param diff   the workspace edits so far, against the checkout (unified diff), "" for none
     */
    record Next(Map<String, Object> params, String diff) implements Outcome {}

    /** {@code error}: what went wrong, for the user ("rebuild.py exited 1: ValueError: …"); {@code tail}: log lines. */
    record Failed(String error, List<String> tail) implements Outcome {}
}
