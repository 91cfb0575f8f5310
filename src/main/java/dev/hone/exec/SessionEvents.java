package dev.hone.exec;

import java.time.Duration;
import java.util.List;

/**
 * What happens to a session's environment under its commands: a workspace container that died and was started
 * again (the commands that ran in it run again from the start, each still returning once), or one given up on.
 * Told on the executor's threads; a listener must return quickly.
 */
public interface SessionEvents {

    SessionEvents NONE = new SessionEvents() {};

    /**
     * The environment died unexpectedly and runs again with the same configuration.
     *
     * @param container   the new container's short id
     * @param inARow      restarts since it last ran healthy, this one included
     * @param total       restarts of this session, this one included
     * @param maxRestarts restarts in a row allowed
     * @param reason      how it died: "exit 137, killed by SIGKILL"
     * @param downtime    from its death to the new one's readiness
     * @param rerun       the requests that were running and run again
     */
    record Restart(String container, int inARow, int total, int maxRestarts, String reason, Duration downtime,
                   List<ProcessRequest> rerun) {}

    /** The environment kept dying: no further restart; what ran and what comes fails with {@code reason}. */
    record GaveUp(String container, int restarts, String reason) {}

    /**
     * A command's pod was taken off its node (evicted, preempted, its node lost) and the command runs again in a new
     * one, under the same trial number.
     *
     * @param request the command that runs again from the start
     * @param pod     the pod that was taken off
     * @param reason  what the cluster said: "Evicted: The node was low on resource: memory."
     * @param times   how many times this command was rescheduled, this one included
     */
    record Rescheduled(ProcessRequest request, String pod, String reason, int times) {}

    default void restarted(Restart restart) {}

    default void rescheduled(Rescheduled rescheduled) {}

    default void gaveUp(GaveUp gaveUp) {}
}
