package dev.hone.exec.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.App;
import dev.hone.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hone run --executor kubernetes} end to end on fabric8's mock API server and the stand-in kubelet: the
 * quickstart's trials as Jobs, their metrics read from the pods' logs, their outputs sent back, the run's summary.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KubernetesRunTest {

    private static MockCluster cluster;

    @TempDir
    Path home;

    @BeforeAll
    static void startTheCluster(@TempDir Path scratch) throws IOException {
        cluster = new MockCluster(scratch, Map.of());
    }

    @AfterAll
    static void stopTheCluster() {
        cluster.close();
    }

    @Test
    void honeRunTrainsTheQuickstartAsJobsAndTheEvictedTrialRunsAgainUnderItsNumber() throws IOException {
        Path dir = copy(Path.of("examples", "quickstart"), home.resolve("quickstart"));
        Path summaryFile = home.resolve("summary.json");
        int jobsBefore = cluster.kubelet.jobs().size();
        cluster.kubelet.evictNextPods(1);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        App app = new App(Map.of("HOME", home.toString(), "PATH", System.getenv("PATH")),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                InstantSource.system(), new Random(1)).withKubernetes(cluster.executor());
        int code = Main.execute(app, "run", dir.toString(), "--executor", "kubernetes", "--max-trials", "2",
                "--json", summaryFile.toString());

        JsonNode summary = new ObjectMapper().readTree(summaryFile.toFile());
        assertThat(code).as(out + "\n" + err).isIn(0, 1);
        assertThat(summary.get("trials")).hasSize(2);
        for (JsonNode trial : summary.get("trials")) {
            assertThat(trial.get("state").asText()).as(trial.toString()).isEqualTo("succeeded");
            assertThat(trial.get("value").isNumber()).as(trial.toString()).isTrue();
        }
        List<String> events = new ArrayList<>();
        summary.get("events").forEach(e -> events.add(e.get("type").asText() + ": " + e.get("message").asText()));
        String evicted = cluster.kubelet.pods().get(cluster.kubelet.pods().size() - 3);
        assertThat(events).contains("pod_rescheduled: trial 1's pod " + evicted + " was taken off its node (Evicted:"
                + " The node was low on resource: memory.); the trial runs again");
        assertThat(cluster.kubelet.jobs().size() - jobsBefore).as("Jobs: trial 1 twice, trial 2 once").isEqualTo(3);
        Path runDir = home.resolve(".hone/runs").resolve(summary.get("run").asText());
        assertThat(Files.readString(runDir.resolve("trials/1/train.log")))
                .contains("--- hone: pod " + evicted + " was taken off its node").contains("accuracy=");
        assertThat(cluster.admin.batch().v1().jobs().inNamespace(cluster.namespace())
                .withLabel("hone.run", summary.get("run").asText()).list().getItems()).isEmpty();
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }
}
