package dev.hone.exec.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import dev.hone.error.HoneException;
import dev.hone.exec.Containers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link Containers} over the Docker Engine, for deployments: a container per {@link Containers.Plan} with the
 * same hardening as a workspace container (not root, no capabilities, no new privileges, a pids limit), on the
 * bridge network so that its port can be published, on 127.0.0.1 only. Not removed when it stops, so its exit
 * code and last lines can be read; its end is heard on the daemon's event stream.
 */
public final class DockerContainers implements Containers {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final long PIDS_LIMIT = 1024;
    private static final int TAIL_LINES = 20;

    private final Map<String, String> env;
    private final DockerClient client;
    private final DockerEvents events;

    /** @param env where the daemon is ({@code DOCKER_HOST}, ...), usually {@code System.getenv()} */
    public DockerContainers(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.client = Docker.client(this.env, CALL_TIMEOUT);
        this.events = new DockerEvents(this.env);
    }

    @Override
    public Started start(Plan plan) {
        try {
            Images.ImageInfo image = Images.require(client, plan.image(), Docker.host(env));
            Ownership ownership = Ownership.ofThisProcess();
            Map<String, String> labels = new LinkedHashMap<>(plan.labels());
            labels.put(WorkspaceContainer.OWNER, WorkspaceContainer.owner());
            ExposedPort port = ExposedPort.tcp(plan.port());
            Ports ports = new Ports();
            ports.bind(port, Ports.Binding.bindIp("127.0.0.1"));
            HostConfig host = WorkspaceContainer.hardened(HostConfig.newHostConfig()
                    .withBinds(plan.mounts().stream().map(m -> new Bind(m.source().toString(), new Volume(m.target()),
                            m.readOnly() ? AccessMode.ro : AccessMode.rw)).toList())
                    .withNetworkMode("bridge")
                    .withPortBindings(ports)
                    .withPidsLimit(PIDS_LIMIT), plan.memoryBytes(), plan.cpus());
            String name = "hone-serve-" + plan.labels().getOrDefault("hone.deployment", "model")
                    .replaceAll("[^A-Za-z0-9_.-]", "-") + "-" + UUID.randomUUID().toString().substring(0, 8);
            String id = client.createContainerCmd(plan.image()).withName(name).withLabels(labels)
                    .withUser(ownership.user()).withWorkingDir(plan.workingDir())
                    .withEnv(ownership.environment(image, plan.env())).withExposedPorts(port)
                    .withEntrypoint("/bin/sh").withCmd("-c", plan.command()).withHostConfig(host)
                    .exec().getId();
            try {
                client.startContainerCmd(id).exec();
                return new Started(id, hostPort(client.inspectContainerCmd(id).exec(), plan.port()));
            } catch (RuntimeException e) {
                remove(id);
                throw e;
            }
        } catch (HoneException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new HoneException("could not start a container from " + plan.image() + ": " + Docker.cause(e), e);
        }
    }

    @Override
    public AutoCloseable watch(String id, Consumer<Stopped> onStop) {
        return events.watch(id, death -> onStop.accept(new Stopped(id, death.exitCode(), death.reason(), tail(id))));
    }

    @Override
    public void remove(String id) {
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // gone already
        } catch (RuntimeException e) {
            if (!Docker.cause(e).contains("already in progress")) {
                throw new HoneException("could not remove container " + id.substring(0, 12) + ": "
                        + Docker.cause(e), e);
            }
        }
    }

    @Override
    public List<Found> find(String key) {
        if (Docker.unavailableReason(env).isPresent()) {
            return List.of();
        }
        List<Found> found = new ArrayList<>();
        for (Container c : client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(key)).exec()) {
            try {
                InspectContainerResponse inspect = client.inspectContainerCmd(c.getId()).exec();
                boolean running = Boolean.TRUE.equals(inspect.getState().getRunning());
                found.add(new Found(c.getId(), plan(inspect), running, running ? hostPort(inspect, port(inspect)) : 0,
                        WorkspaceContainer.ownerAlive(inspect.getConfig().getLabels())));
            } catch (NotFoundException e) {
                // removed meanwhile
            }
        }
        return found;
    }

    /** The plan a container was started from, read back from the daemon (for a container an earlier Hone left). */
    private static Plan plan(InspectContainerResponse c) {
        List<Mount> mounts = new ArrayList<>();
        for (Bind b : c.getHostConfig().getBinds() == null ? new Bind[0] : c.getHostConfig().getBinds()) {
            mounts.add(new Mount(Path.of(b.getPath()), b.getVolume().getPath(), b.getAccessMode() == AccessMode.ro));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (String entry : c.getConfig().getEnv() == null ? new String[0] : c.getConfig().getEnv()) {
            int eq = entry.indexOf('=');
            if (eq > 0 && !entry.startsWith("PATH=") && !entry.startsWith("HOME=")) {
                environment.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        Map<String, String> labels = new LinkedHashMap<>(c.getConfig().getLabels());
        labels.remove(WorkspaceContainer.OWNER);
        String[] cmd = c.getConfig().getCmd();
        Long nanoCpus = c.getHostConfig().getNanoCPUs();
        Long memory = c.getHostConfig().getMemory();
        return new Plan(c.getConfig().getImage(), cmd == null || cmd.length < 2 ? "" : cmd[cmd.length - 1],
                c.getConfig().getWorkingDir(), mounts, environment, labels, port(c),
                nanoCpus == null || nanoCpus == 0 ? null : nanoCpus / 1e9,
                memory == null || memory == 0 ? null : memory);
    }

    private static int port(InspectContainerResponse c) {
        ExposedPort[] exposed = c.getConfig().getExposedPorts();
        return exposed == null || exposed.length == 0 ? 0 : exposed[0].getPort();
    }

    private static int hostPort(InspectContainerResponse c, int port) {
        Ports.Binding[] bindings = c.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(port));
        if (bindings == null) {
            throw new HoneException("container " + c.getId().substring(0, 12) + " did not publish port " + port);
        }
        return Arrays.stream(bindings).filter(b -> "127.0.0.1".equals(b.getHostIp()) || b.getHostIp() == null)
                .map(b -> Integer.parseInt(b.getHostPortSpec())).findFirst().orElseThrow(() -> new HoneException(
                        "container " + c.getId().substring(0, 12) + " did not publish port " + port + " on 127.0.0.1"));
    }

    /** The last lines the container printed (stdout and stderr); empty when they cannot be read. */
    private List<String> tail(String id) {
        StringBuilder out = new StringBuilder();
        try {
            client.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(TAIL_LINES)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            return List.of();
        }
        return out.isEmpty() ? List.of() : List.of(out.toString().strip().split("\r?\n"));
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
