package dev.hone.exec.docker;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The session's second pair of eyes: every {@link #INTERVAL} it asks the daemon about the current workspace
 * container. A container found stopped is reported dead (should its {@code die} event have been missed); a daemon
 * that does not answer for longer than the grace (a restart takes a few seconds) breaks the session with the reason.
 */
final class DaemonWatch {

    static final Duration INTERVAL = Duration.ofSeconds(2);

    private final WorkspaceSupervisor workspace;
    private final DockerClient quick;
    private final Duration grace;
    private final Consumer<String> broken;
    private final Thread thread;
    private volatile boolean stopped;

    DaemonWatch(WorkspaceSupervisor workspace, DockerClient quick, Duration grace, Consumer<String> broken,
                String name) {
        this.workspace = workspace;
        this.quick = quick;
        this.grace = grace;
        this.broken = broken;
        this.thread = Thread.ofPlatform().daemon().name("hone-docker-watchdog-" + name).start(this::watch);
    }

    private void watch() {
        long unreachableSince = 0;
        while (!stopped) {
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            WorkspaceSupervisor.Incarnation in = workspace.current();
            if (stopped || in == null || !workspace.isCurrent(in)) {
                continue;
            }
            try {
                Optional<String> gone = in.container().stopped(quick);
                unreachableSince = 0;
                gone.ifPresent(s -> workspace.died(in.container().id(), -1, "the container " + s, Instant.now()));
            } catch (RuntimeException e) {
                long now = System.nanoTime();
                unreachableSince = unreachableSince == 0 ? now : unreachableSince;
                if (now - unreachableSince >= grace.toNanos()) {
                    broken.accept("Docker daemon stopped answering: " + Docker.cause(e));
                    return;
                }
            }
        }
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }
}
