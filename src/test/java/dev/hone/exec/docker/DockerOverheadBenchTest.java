package dev.hone.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(DockerAvailable.class)
class DockerOverheadBenchTest {

    @TempDir
    Path work;

    @Test
    void measuresTheWorkspaceContainerAgainstAFreshContainerPerTrial() {
        DockerOverheadBench.Result result = new DockerOverheadBench(System.getenv()).measure("hone/python", 3, work);

        DockerOverheadBench.Way session = result.way(DockerOverheadBench.SESSION);
        DockerOverheadBench.Way fresh = result.way(DockerOverheadBench.RUN_API);
        assertThat(session.medianMs()).isPositive().isLessThan(fresh.medianMs());
        assertThat(result.report()).contains("image hone/python, 3 trials each way", DockerOverheadBench.SESSION,
                DockerOverheadBench.RUN_API);
        assertThat(Runs.containersLabelled("hone.run=bench")).isEmpty();
    }
}
