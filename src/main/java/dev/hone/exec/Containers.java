package dev.hone.exec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Long-running containers (a served model's), as records: implemented over the Docker Engine by
 * {@code dev.hone.exec.docker.DockerContainers}, the only place Docker's own types appear; used by
 * {@code dev.hone.serving}. A container is started from a {@link Plan} and can be started again from the same plan;
 * it publishes its port on 127.0.0.1 only.
 */
public interface Containers extends AutoCloseable {

    /** A host directory seen inside the container at {@code target}. */
    record Mount(Path source, String target, boolean readOnly) {}

    /**
     * What a supervised container is made of.
     *
     * @param command     run by {@code sh -c} in {@code workingDir}
     * @param port        the port the command listens on inside; published on 127.0.0.1 at a port the daemon picks
     * @param cpus        null: no CPU limit
     * @param memoryBytes null: no memory limit
     */
    record Plan(String image, String command, String workingDir, List<Mount> mounts, Map<String, String> env,
                Map<String, String> labels, int port, Double cpus, Long memoryBytes) {

        public Plan {
            mounts = List.copyOf(mounts);
            env = Map.copyOf(env);
            labels = Map.copyOf(labels);
        }
    }

    /** A container that runs: its id and the host port (on 127.0.0.1) its {@link Plan#port()} is published at. */
    record Started(String id, int hostPort) {}

    /** How a container ended: {@code exitCode} -1 when unknown; {@code reason} "exit 1", "exit 137, out of memory". */
    record Stopped(String id, int exitCode, String reason, List<String> tail) {}

    /**
     * A container found by label: its plan (to start it again), whether it runs (then at {@code hostPort}), and
     * whether the Hone process that started it still runs (then it is that process's, not to be taken over).
     */
    record Found(String id, Plan plan, boolean running, int hostPort, boolean ownerAlive) {}

    /** Creates and starts a container; throws with the daemon's reason when it cannot. */
    Started start(Plan plan);

    /**
     * Calls {@code onStop} once when the container stops (its output's last lines included), on a thread of its own;
     * closing the returned handle stops watching.
     */
    AutoCloseable watch(String id, Consumer<Stopped> onStop);

    /** Removes a container, stopping it first if it runs; one that is gone already is fine. */
    void remove(String id);

    /** The containers, running or not, that carry label {@code key}; none when the daemon does not answer. */
    List<Found> find(String key);

    @Override
    void close();
}
