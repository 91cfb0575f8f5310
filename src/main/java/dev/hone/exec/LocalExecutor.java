package dev.hone.exec;

import dev.hone.spec.ServerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Runs commands on this machine, as {@code sh -c COMMAND} in the run's workspace (Linux). A command's environment is
 * the base environment given here, then the session's {@link SessionConfig#env()}, then the request's; its standard
 * input is empty. Its output reaches the log file, the tail and the line consumer with the session's
 * {@link SessionConfig#secrets()} masked. Stopping a command (timeout, cancellation) stops every process it started:
 * SIGTERM, a grace period, then SIGKILL. Processes a command leaves running in the background when it exits are
 * stopped too; those a killed Hone left are stopped by {@link #stopLeftovers} when its run resumes. Where the machine
 * allows it (cgroup v2, the right to create cgroups) each command runs in a cgroup of its own, killed when it ends,
 * so even a process that detached and cleared its environment is stopped; {@link #isolation} says which.
 * Resource limits, image and network settings of the {@link SessionConfig} are ignored.
 */
public final class LocalExecutor implements Executor {

    /** How long stopped processes get between SIGTERM and SIGKILL unless told otherwise. */
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(2);

    private final Map<String, String> baseEnv;
    private final Duration killGrace;
    private final long logLimit;
    /** Where each command gets a cgroup of its own, if anywhere; null: this machine's, found at the first open. */
    private final Cgroups.Availability isolation;

    /** @param baseEnv the environment commands start from, usually {@code System.getenv()} */
    public LocalExecutor(Map<String, String> baseEnv) {
        this(baseEnv, DEFAULT_KILL_GRACE);
    }

    /**
     * @param baseEnv   the environment commands start from, usually {@code System.getenv()}
     * @param killGrace how long a stopped command's processes get between SIGTERM and SIGKILL
     */
    public LocalExecutor(Map<String, String> baseEnv, Duration killGrace) {
        this(baseEnv, killGrace, ServerSpec.DEFAULT_LOG_SIZE);
    }

    /**
     * @param baseEnv   the environment commands start from, usually {@code System.getenv()}
     * @param killGrace how long a stopped command's processes get between SIGTERM and SIGKILL
     * @param logLimit  the most a command's log file holds ({@code limits.log_size}): past it, its beginning and end
     */
    public LocalExecutor(Map<String, String> baseEnv, Duration killGrace, long logLimit) {
        this(baseEnv, killGrace, logLimit, null);
    }

    /** As {@link #LocalExecutor(Map, Duration, long)}, its commands' cgroups those of {@code isolation}. */
    LocalExecutor(Map<String, String> baseEnv, Duration killGrace, long logLimit, Cgroups.Availability isolation) {
        this.isolation = isolation;
        this.logLimit = logLimit;
        this.baseEnv = Map.copyOf(Objects.requireNonNull(baseEnv, "baseEnv"));
        Objects.requireNonNull(killGrace, "killGrace");
        if (killGrace.isNegative()) {
            throw new IllegalArgumentException("kill grace must not be negative, got " + killGrace);
        }
        this.killGrace = killGrace;
    }

    /**
     * Stops what a process that died (kill -9) left running of its sessions on {@code workspace} — trainings and
     * rebuild programs keep running when Hone does not stop them — so a resumed run does not race them. Returns
     * how many processes were stopped.
     */
    public static int stopLeftovers(Path workspace) {
        ProcessTree leftovers = ProcessTree.ofWorkspace(workspace);
        int found = leftovers.alive().size();
        if (found > 0) {
            leftovers.kill(DEFAULT_KILL_GRACE);
        }
        return found;
    }

    /**
     * Which isolation local trials get on this machine, the line {@code hone run --verbose} prints: each in a cgroup
     * of its own, or why not.
     */
    public static String isolation() {
        return Cgroups.detect().line();
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public Session open(Path workspace, SessionConfig config) {
        Objects.requireNonNull(workspace, "workspace");
        Map<String, String> env = new HashMap<>(baseEnv);
        if (config != null && config.env() != null) {
            config.env().forEach((name, value) -> {
                if (name != null && value != null) {
                    env.put(name, value);
                }
            });
        }
        return new LocalSession(workspace.toAbsolutePath(), env, config == null ? Masks.NONE : config.masks(),
                killGrace, logLimit, (isolation == null ? Cgroups.detect() : isolation).cgroups());
    }
}
