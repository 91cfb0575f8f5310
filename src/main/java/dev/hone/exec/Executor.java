package dev.hone.exec;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where training runs. An executor opens one {@link Session} per run over the run's workspace; trials and the
 * rebuild program run inside that session (for Docker: one long-lived workspace container).
 */
public interface Executor {

    /** "local", "docker": shown to the user and recorded on the run. */
    String kind();

    /** Prepares the environment for a run whose checkout is {@code workspace}. */
    Session open(Path workspace, SessionConfig config);

    /**
     * What this executor would submit for {@code request} in a session of {@code config}, for review
     * ({@code hone run --dry-run}), without submitting anything; empty for an executor that submits nothing
     * (local processes, the Docker workspace container).
     */
    default Optional<String> dryRun(Path workspace, SessionConfig config, ProcessRequest request) {
        return Optional.empty();
    }

    /** One run's environment. Closing it stops everything still running in it and releases it. */
    interface Session extends AutoCloseable {

        /** Runs one command to its end, its timeout, or cancellation; never throws for a failing command. */
        ProcessResult run(ProcessRequest request);

        /**
         * Kills the process tree of one running request (early stopping): its {@link #run} call returns KILLED.
         * A request that is not running (finished, or not started) is left alone. Safe from any thread.
         */
        void cancel(ProcessRequest request);

        /** Kills every process this session has running (Ctrl-C, run cancelled). Safe to call from any thread. */
        void cancelAll();

        /**
         * Tells {@code events} what happens to the environment from now on (a container started again); an
         * environment that cannot die under its commands (the local executor) has nothing to tell.
         */
        default void watch(SessionEvents events) {}

        @Override
        void close();
    }
}
