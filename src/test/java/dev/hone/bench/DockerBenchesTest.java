package dev.hone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.testing.Docker;
import dev.hone.testing.Parts;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks of the Docker executor, on a real daemon: each figure measured and reported, no container left. */
class DockerBenchesTest {

    @TempDir
    Path work;

    @BeforeEach
    void needsDocker() {
        Parts.requireDocker();
    }

    @Test
    void measuresTheWorkspaceContainerAgainstAFreshContainerPerTrial() {
        DockerOverheadBench.Result result = new DockerOverheadBench(System.getenv()).measure("hone/python", 3, work);

        DockerOverheadBench.Way session = result.way(DockerOverheadBench.SESSION);
        DockerOverheadBench.Way fresh = result.way(DockerOverheadBench.RUN_API);
        assertThat(session.medianMs()).isPositive().isLessThan(fresh.medianMs());
        assertThat(result.report()).contains("image hone/python, 3 trials each way", DockerOverheadBench.SESSION,
                DockerOverheadBench.RUN_API);
        assertThat(Docker.all("hone.run=bench")).isEmpty();
    }

    @Test
    void timesEachKillToTheRelaunchedContainersAgent() {
        RelaunchBench.Result result = new RelaunchBench(System.getenv()).measure("hone/python", 2, work);

        assertThat(result.killToReadyMs()).hasSize(2);
        assertThat(Arrays.stream(result.killToReadyMs()).min().orElseThrow()).isPositive();
        assertThat(result.dieToReadyMs()).hasSize(2);
        assertThat(result.report()).contains("Workspace container crash-to-relaunch: image hone/python, 2 kills",
                "docker kill -> new container's agent listening: median ");
        assertThat(Docker.all("hone.run=relaunch-bench")).isEmpty();
    }
}
