package dev.hone.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerTest {

    @Test
    void theDaemonIsWhereDockerHostSaysElseTheDefaultSocket() {
        assertThat(Docker.host(Map.of())).isEqualTo("unix:///var/run/docker.sock");
        assertThat(Docker.host(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2376"))).isEqualTo("tcp://10.0.0.5:2376");
    }

    @Test
    void aDaemonThatIsNotThereIsReportedWithItsAddress(@TempDir Path dir) {
        String host = "unix://" + dir.resolve("no-daemon.sock");

        assertThat(Docker.unavailableReason(Map.of("DOCKER_HOST", host)))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .startsWith("the Docker daemon at " + host + " does not answer (")
                        .endsWith(")"));
    }
}
