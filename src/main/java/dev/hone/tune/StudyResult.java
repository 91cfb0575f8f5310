package dev.hone.tune;

import java.util.List;

/**
 * How a study ended.
 *
 * @param trials every trial, in number order
 * @param best   the best trial with a value, or null; with {@code metric.confirm}, a trial whose confirmation ended
 *               is ranked by, and carries as its value, its confirmed value (the aggregate), and a repeat is never it
 * @param detail for REBUILD_FAILED the rebuild's error; for TOO_MANY_FAILURES / TIMED_OUT / GAVE_UP / HALTED a sentence; else null
 * @param rebuildTail the rebuild program's last log lines when it failed, else empty
 * @param confirmations the confirmations that ended ({@code metric.confirm}), in order; empty without
 */
public record StudyResult(Ending ending, List<Trial> trials, Trial best, String detail, List<String> rebuildTail,
                          List<Confirmation> confirmations) {

    public StudyResult {
        confirmations = confirmations == null ? List.of() : List.copyOf(confirmations);
    }

    /** Without confirmations. */
    public StudyResult(Ending ending, List<Trial> trials, Trial best, String detail, List<String> rebuildTail) {
        this(ending, trials, best, detail, rebuildTail, List.of());
    }

    public enum Ending {
        /** A trial reached the target (and, with {@code metric.confirm}, its confirmation did too). */
        TARGET_REACHED,
        /** max_trials trials ran (or, with nothing to tune, the one trial ran). */
        BUDGET_SPENT,
        /** The grid (or a tiny space) has no new parameter set left. */
        SPACE_EXHAUSTED,
        /** The study timeout passed; running trials were killed. */
        TIMED_OUT,
        /** max_failed_trials trials failed. */
        TOO_MANY_FAILURES,
        /** The rebuild program failed; the study stopped. */
        REBUILD_FAILED,
        /**
         * The chance of reaching the target within the remaining budget fell below {@code tune.give_up_below}; the
         * detail says it.
         */
        GAVE_UP,
        /** halt(reason) was called: the trials cannot go on (the disk is full); the reason is the detail. */
        HALTED,
        /** cancel() was called (Ctrl-C). */
        CANCELLED
    }
}
