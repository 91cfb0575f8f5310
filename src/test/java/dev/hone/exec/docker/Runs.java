package dev.hone.exec.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.SessionConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** A run directory laid out as the pipeline lays it out ({@code <data>/runs/<id>/workspace}), and its trials. */
final class Runs {

    /** The secret of {@link #configWithSecret}: the session's {@code SESSION_TOKEN}. */
    static final String SECRET = "tok-d0c4e7";

    final String id = "test-" + UUID.randomUUID().toString().substring(0, 8);
    final Path dir;
    final Path workspace;
    final List<String> lines = new CopyOnWriteArrayList<>();

    Runs(Path data) {
        try {
            dir = Files.createDirectories(data.resolve("runs").resolve(id));
            workspace = Files.createDirectories(dir.resolve("workspace"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SessionConfig config(String image, Long memoryBytes, boolean network) {
        return new SessionConfig(id, "docker-test", image, 1.0, memoryBytes, network, Map.of("SESSION_VAR", "from-session"));
    }

    /** As {@link #config}, with {@link #SECRET} in the environment as {@code SESSION_TOKEN}, to be masked. */
    SessionConfig configWithSecret(String image, Long memoryBytes, boolean network) {
        return new SessionConfig(id, "docker-test", image, 1.0, memoryBytes, network,
                Map.of("SESSION_VAR", "from-session", "SESSION_TOKEN", SECRET), Set.of(SECRET));
    }

    /** Trial {@code n}: its output directory and params file made as TrialExecution makes them. */
    ProcessRequest trial(int n, String command, Duration timeout) {
        try {
            Path trial = dir.resolve("trials").resolve(Integer.toString(n));
            Path output = Files.createDirectories(trial.resolve("output"));
            Path params = trial.resolve("params.json");
            Files.writeString(params, "{\"C\": 3.5}");
            return new ProcessRequest(command, Map.of("HONE_OUTPUT", output.toString(), "HONE_PARAMS",
                    params.toString(), "HONE_TRIAL", Integer.toString(n), "HONE_RUN", id),
                    trial.resolve("train.log"), timeout, lines::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path output(int n) {
        return dir.resolve("trials").resolve(Integer.toString(n)).resolve("output");
    }

    /** Containers of any state labelled with this run's id. */
    List<Container> containers() {
        return containersLabelled(WorkspaceContainer.RUN + "=" + id);
    }

    static List<Container> containersLabelled(String label) {
        try (DockerClient client = Docker.client(System.getenv(), Duration.ofSeconds(10))) {
            return client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(label)).exec();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits up to {@code seconds} for this run's containers to be gone; true when they are. */
    boolean containersGoneWithin(int seconds) throws InterruptedException {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < until) {
            if (containers().isEmpty()) {
                return true;
            }
            Thread.sleep(200);
        }
        return containers().isEmpty();
    }
}
