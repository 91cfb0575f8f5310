package dev.hone.exec;

import java.time.Duration;
import java.util.List;

/**
 * What happens to a session's environment under its commands: a workspace container that died and was started
 * again (the commands that ran in it run again from the start, each still returning once), or one given up on; a
 * batch job lost with its node and submitted again.
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

    /**
     * A command's batch job was lost with its node ({@code NODE_FAIL}, {@code PREEMPTED}, {@code BOOT_FAIL}) and
     * was submitted again: the command runs again from the start, still returning once.
     *
     * @param job      the job's name ({@code hone-<project>-r<run>-t<trial>}), the same for the new job
     * @param lostJob  the lost job's id
     * @param requeues how many times this command's job was submitted again, this one included
     * @param reason   how it was lost: "NODE_FAIL (NodeDown)"
     * @param rerun    the request that runs again
     */
    record Requeue(String job, String lostJob, int requeues, String reason, List<ProcessRequest> rerun) {}

    default void restarted(Restart restart) {}

    default void rescheduled(Rescheduled rescheduled) {}

    default void requeued(Requeue requeue) {}

    default void gaveUp(GaveUp gaveUp) {}
}
