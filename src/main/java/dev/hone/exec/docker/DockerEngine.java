package dev.hone.exec.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import dev.hone.error.HoneException;
import dev.hone.exec.Executor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The few Engine API calls made from outside this package, as plain values: {@code hone bench docker-overhead} and
 * {@code hone bench relaunch} ({@code dev.hone.bench}) compare a workspace container with a fresh container per
 * trial, and kill a session's container to time its relaunch.
 */
public final class DockerEngine implements AutoCloseable {

    /** How a one-off container ended: its exit code and what it printed (stdout and stderr). */
    public record OneOff(int exitCode, String output) {}

    private final DockerClient client;

    /** @param env where the daemon is, usually {@code System.getenv()}; calls wait at most {@code timeout} */
    public DockerEngine(Map<String, String> env, Duration timeout) {
        this.client = Docker.client(env, timeout);
    }

    /** The labels Hone puts on a trial's container (run, trial, project): containers are found and removed by them. */
    public static Map<String, String> trialLabels(String project, String run, int trial) {
        return Map.of(WorkspaceContainer.PROJECT, project, WorkspaceContainer.RUN, run, WorkspaceContainer.TRIAL,
                Integer.toString(trial));
    }

    /** The id of the workspace container a session of {@link DockerExecutor} runs its trials in now. */
    public static String containerOf(Executor.Session session) {
        if (!(session instanceof DockerSession docker)) {
            throw new IllegalArgumentException("not a session of the Docker executor: " + session);
        }
        return docker.containerId();
    }

    /** Kills a container as {@code docker kill} does (SIGKILL): the daemon reports it dead. */
    public void kill(String containerId) {
        client.killContainerCmd(containerId).exec();
    }

    /**
     * Runs {@code sh -c command} in a fresh container of {@code image} with no network, labelled {@code labels}:
     * create, start, wait, read its output, remove (removed also when a step fails).
     */
    public OneOff runOnce(String image, String command, Map<String, String> labels) {
        String id = client.createContainerCmd(image).withCmd("sh", "-c", command).withLabels(labels)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")).exec().getId();
        try {
            client.startContainerCmd(id).exec();
            int status = client.waitContainerCmd(id).start().awaitStatusCode();
            StringBuilder out = new StringBuilder();
            client.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion();
            return new OneOff(status, out.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoneException("interrupted while container " + id.substring(0, 12) + " of " + image + " ran", e);
        } finally {
            client.removeContainerCmd(id).withForce(true).exec();
        }
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
