package dev.hone.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import dev.hone.error.HoneException;
import dev.hone.detect.Framework;
import dev.hone.exec.Executor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** environment.image and environment.dockerfile against a real daemon (Dockerfiles start FROM hone/python). */
@ExtendWith(DockerAvailable.class)
class DockerImagesTest {

    @TempDir
    Path data;
    private final List<String> built = new ArrayList<>();
    private final DockerExecutor docker = new DockerExecutor(System.getenv());

    @AfterEach
    void removeBuiltImages() throws Exception {
        try (DockerClient client = Docker.client(System.getenv(), Duration.ofSeconds(60))) {
            for (String image : built) {
                try {
                    client.removeImageCmd(image).withForce(true).exec();
                } catch (RuntimeException e) {
                    // already gone
                }
            }
        }
    }

    @Test
    void aMissingImageIsAClearErrorNamingBothWaysToGetIt() {
        Runs run = new Runs(data);

        assertThatThrownBy(() -> docker.open(run.workspace, run.config("hone/pytorch-missing", null, false)))
                .isInstanceOf(HoneException.class)
                .hasMessage("image hone/pytorch-missing is not in the Docker daemon at " + Docker.host(System.getenv())
                        + " (Hone does not pull images). Get it either way:\n"
                        + "  - with a registry: docker pull hone/pytorch-missing\n"
                        + "  - or build it here: docker build -t hone/pytorch-missing DIR, or set"
                        + " environment.dockerfile in hone.yaml");
        assertThat(run.containers()).isEmpty();
    }

    @Test
    void imageAutoTakesTheDetectedFrameworksImage() throws Exception {
        Runs run = new Runs(data);
        Files.writeString(run.workspace.resolve("main.py"), "import sklearn\n");

        assertThat(docker.image(run.workspace, "p", "auto", null, Framework.SKLEARN)).isEqualTo("hone/sklearn");
        assertThat(docker.image(run.workspace, "p", "hone/python", null, Framework.SKLEARN)).isEqualTo("hone/python");
        try (Executor.Session session = docker.open(run.workspace, run.config("auto", null, false))) {
            assertThat(session.run(run.trial(1, "python3 -c 'import sklearn; print(\"ok\")'", null)).tail())
                    .containsExactly("ok");
        }
    }

    @Test
    void aDockerfileIsBuiltOnceAndRebuiltOnlyWhenItOrItsContextChanges() throws Exception {
        Runs run = new Runs(data);
        Files.writeString(run.workspace.resolve("Dockerfile"), "FROM hone/python\nCOPY main.py /opt/main.py\n");
        Files.writeString(run.workspace.resolve("main.py"), "print('v1')\n");
        Path log = run.dir.resolve("image-build.log");

        String first = built(docker.image(run.workspace, "My Project", null, "Dockerfile", Framework.PYTHON));
        assertThat(first).startsWith("hone-build/my-project:");
        assertThat(Files.readString(log)).contains("COPY main.py /opt/main.py");

        String again = docker.image(run.workspace, "My Project", null, "Dockerfile", Framework.PYTHON);
        assertThat(again).isEqualTo(first);
        assertThat(Files.readString(log)).isEqualTo("image " + first
                + " reused: Dockerfile and its context are unchanged\n");

        Files.writeString(run.workspace.resolve("main.py"), "print('v2')\n");
        String changed = built(docker.image(run.workspace, "My Project", null, "Dockerfile", Framework.PYTHON));
        assertThat(changed).isNotEqualTo(first);
        try (Executor.Session session = docker.open(run.workspace, run.config(changed, null, false))) {
            assertThat(session.run(run.trial(1, "python3 /opt/main.py", null)).tail()).containsExactly("v2");
        }
    }

    @Test
    void aDockerfileThatFailsToBuildGivesTheBuildLogsTail() throws Exception {
        Runs run = new Runs(data);
        Files.writeString(run.workspace.resolve("Dockerfile"),
                "FROM hone/python\nRUN echo installing the trainer && exit 3\n");

        assertThatThrownBy(() -> docker.image(run.workspace, "broken", null, "Dockerfile", Framework.PYTHON))
                .isInstanceOf(HoneException.class)
                .hasMessageStartingWith("environment.dockerfile: building Dockerfile failed: The command '/bin/sh -c"
                        + " echo installing the trainer && exit 3' returned a non-zero code: 3\n"
                        + "last lines of the build log:\n")
                .hasMessageContaining("  installing the trainer\n")
                .hasMessageEndingWith("(full log: " + run.dir.resolve("image-build.log") + ")");
    }

    @Test
    void aDockerfileOutsideTheWorkspaceIsRefused() {
        Runs run = new Runs(data);

        assertThatThrownBy(() -> docker.image(run.workspace, "p", null, "docker/Dockerfile", Framework.PYTHON))
                .isInstanceOf(HoneException.class)
                .hasMessage("environment.dockerfile: docker/Dockerfile is not a file in " + run.workspace
                        + ": add it to the repository or fix the path in hone.yaml");
    }

    private String built(String image) {
        built.add(image);
        return image;
    }
}
