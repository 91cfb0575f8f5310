package dev.hone.exec.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's workspace container: the run directory bind-mounted at its own path (so the host paths in
 * {@code HONE_OUTPUT}, {@code HONE_PARAMS} and the logs are valid inside), the agent as main process under Docker's
 * init, started in its own directory (reached even when the way there is closed, so it can say so). Never privileged, all capabilities dropped, no new privileges, a
 * non-root user, memory (swap included), CPU and pids limits, network {@code none} unless asked. Removed by the
 * daemon as soon as it stops ({@code AutoRemove}); labelled so a restarted Hone finds what an earlier one left.
 */
final class WorkspaceContainer {

    static final String RUN = "hone.run";
    static final String TRIAL = "hone.trial";
    static final String PROJECT = "hone.project";
    /** "host:pid" of the Hone process that owns the container. */
    static final String OWNER = "hone.owner";
    /** The project whose model a serve container serves (dev.hone.serving.Deployments). */
    static final String DEPLOYMENT = "hone.deployment";

    /**
     * What the container is made of. {@code hidden}: directories of the image on the way to the run directory that
     * are closed to the container's user, each covered by an empty open directory of the host (its value), so that
     * the run directory can be reached at its own path.
     */
    record Plan(String image, Path runDir, Path workspace, Path agentScript, Path agentDir, String user,
                List<String> env, Map<String, String> labels, Double cpus, Long memoryBytes, long pidsLimit,
                boolean network, Map<Path, Path> hidden, List<String> gpus) {

        Plan {
            hidden = Collections.unmodifiableMap(new LinkedHashMap<>(hidden));
            gpus = List.copyOf(gpus);
        }

        /** This plan with {@code closed} covered by {@code cover} too. */
        Plan hiding(Path closed, Path cover) {
            Map<Path, Path> more = new LinkedHashMap<>(hidden);
            more.put(closed, cover);
            return new Plan(image, runDir, workspace, agentScript, agentDir, user, env, labels, cpus, memoryBytes,
                    pidsLimit, network, more, gpus);
        }
    }

    private final DockerClient client;
    private final String id;

    private WorkspaceContainer(DockerClient client, String id) {
        this.client = client;
        this.id = id;
    }

    /** The labels of a run's container: run, trial ("all": every trial of the run runs in it), project, owner. */
    static Map<String, String> labels(String runId, String project) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(RUN, runId == null ? "" : runId);
        labels.put(TRIAL, "all");
        labels.put(PROJECT, project == null ? "" : project);
        labels.put(OWNER, owner());
        return labels;
    }

    static String owner() {
        return hostName() + ":" + ProcessHandle.current().pid();
    }

    /**
     * What every container Hone starts gets: an init process, never privileged, no capabilities, no new privileges,
     * and the memory (swap included) and CPU limits when set.
     */
    static HostConfig hardened(HostConfig host, Long memoryBytes, Double cpus) {
        host.withInit(true)
                .withPrivileged(false)
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"));
        if (memoryBytes != null) {
            host.withMemory(memoryBytes).withMemorySwap(memoryBytes);
        }
        if (cpus != null) {
            host.withNanoCPUs(Math.round(cpus * 1e9));
        }
        return host;
    }

    static WorkspaceContainer start(DockerClient client, Plan plan, String name) {
        String dir = plan.runDir().toString();
        List<Bind> binds = new ArrayList<>();
        binds.add(new Bind(dir, new Volume(dir), AccessMode.rw));
        plan.hidden().forEach((closed, cover) -> binds.add(new Bind(cover.toString(), new Volume(closed.toString()),
                AccessMode.rw)));
        HostConfig host = hardened(HostConfig.newHostConfig()
                .withBinds(binds)
                .withNetworkMode(plan.network() ? "bridge" : "none")
                .withPidsLimit(plan.pidsLimit())
                .withAutoRemove(true), plan.memoryBytes(), plan.cpus());
        if (!plan.gpus().isEmpty()) {
            host.withDeviceRequests(List.of(new DeviceRequest().withCapabilities(List.of(List.of("gpu")))
                    .withDeviceIds(plan.gpus())));
        }
        String id = client.createContainerCmd(plan.image())
                .withName(name)
                .withLabels(plan.labels())
                .withUser(plan.user())
                .withWorkingDir(plan.agentDir().toString())
                .withEnv(plan.env())
                .withEntrypoint("/bin/sh")
                .withCmd(plan.agentDir().relativize(plan.agentScript()).toString(), plan.agentDir().toString())
                .withHostConfig(host)
                .exec()
                .getId();
        WorkspaceContainer container = new WorkspaceContainer(client, id);
        try {
            client.startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            container.remove(client);
            throw e;
        }
        return container;
    }

    String id() {
        return id;
    }

    /** Empty while it runs; else what became of it: "exited with code 137 (killed by the memory limit)". */
    Optional<String> stopped(DockerClient quick) {
        try {
            InspectContainerResponse.ContainerState state = quick.inspectContainerCmd(id).exec().getState();
            if (Boolean.TRUE.equals(state.getRunning())) {
                return Optional.empty();
            }
            return Optional.of("exited with code " + state.getExitCodeLong()
                    + (Boolean.TRUE.equals(state.getOOMKilled()) ? " (killed by the memory limit)" : ""));
        } catch (NotFoundException e) {
            return Optional.of("it was removed");
        }
    }

    /** Removes it, killing what runs in it; a container already gone is fine. */
    void remove(DockerClient with) {
        try {
            with.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // AutoRemove was quicker, or it never started
        } catch (RuntimeException e) {
            if (!Docker.cause(e).contains("already in progress")) {
                throw e;
            }
        }
    }

    /**
     * Removes the containers earlier Hone processes on this machine left behind (their owner process is gone):
     * their ids.
     */
    static List<String> removeLeftovers(DockerClient client) {
        String host = hostName();
        List<String> removed = new ArrayList<>();
        List<Container> containers = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(OWNER)).exec();
        for (Container c : containers) {
            if (c.getLabels() != null && c.getLabels().containsKey(DEPLOYMENT)) {
                continue; // a model being served outlives the Hone that started it: the next one adopts it
            }
            String owner = c.getLabels() == null ? null : c.getLabels().get(OWNER);
            int colon = owner == null ? -1 : owner.lastIndexOf(':');
            if (colon < 0 || !owner.substring(0, colon).equals(host) || ownerAlive(c.getLabels())) {
                continue;
            }
            new WorkspaceContainer(client, c.getId()).remove(client);
            removed.add(c.getId());
        }
        return removed;
    }

    /**
     * Whether the Hone process named by the {@value #OWNER} label still runs: true for another machine's (it cannot
     * be told from here) and for a label that names no process.
     */
    static boolean ownerAlive(Map<String, String> labels) {
        String owner = labels == null ? null : labels.get(OWNER);
        int colon = owner == null ? -1 : owner.lastIndexOf(':');
        if (colon < 0 || !owner.substring(0, colon).equals(hostName())) {
            return true;
        }
        try {
            long pid = Long.parseLong(owner.substring(colon + 1));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            String name = System.getenv("HOSTNAME");
            return name == null ? "localhost" : name;
        }
    }
}
