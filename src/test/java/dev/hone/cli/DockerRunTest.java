package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.data.DataDir;
import dev.hone.exec.FakeNvidiaSmi;
import dev.hone.exec.docker.Docker;
import dev.hone.testing.Parts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hone run --executor docker} end to end: a real dockerd and Hone's offline images. */
class DockerRunTest {

    @TempDir
    Path home;

    @BeforeEach
    void needsDocker() {
        Parts.requireDocker();
    }

    @Test
    void digitsReachesItsTargetInsideTheSklearnImageAndLeavesNoContainer() throws Exception {
        Cli cli = new Cli(home);
        Path out = home.resolve("out.json");

        int code = cli.run("run", Cli.example("digits-sklearn").toString(), "--executor", "docker", "--json",
                out.toString());

        assertThat(code).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("executor docker (as configured)");
        JsonNode s = new ObjectMapper().readTree(out.toFile());
        assertThat(s.get("status").asText()).isEqualTo("target_reached");
        assertThat(s.get("best").get("value").asDouble()).isGreaterThanOrEqualTo(0.98);
        assertNoContainerLeft("digits");
    }

    @Test
    void theTrainingRunsInTheContainerWithTheImagesLibraries() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(home.resolve("where"));
        Files.writeString(dir.resolve("main.py"), """
                import os, sklearn
                print("in container:", os.path.exists("/.dockerenv"))
                print("uid:", os.getuid())
                print("sklearn:", sklearn.__file__)
                print("accuracy=1.0")
                """);
        Cli cli = new Cli(home);

        assertThat(cli.run("run", dir.toString(), "--executor", "docker")).as(cli.out() + cli.err()).isZero();

        String log = Files.readString(cli.data().resolve("runs/1/trials/1/train.log"));
        assertThat(log).contains("in container: True")
                .contains("sklearn: /usr/lib/python3/dist-packages/sklearn/__init__.py")
                .doesNotContain("uid: 0");
        assertNoContainerLeft("where");
    }

    /**
     * Hone as root with its data under /root (the default, ~/.hone): the images' /root is closed (0700) to the
     * container's non-root user, so the run directory mounted at its own path was out of its reach and every run
     * failed with "the workspace container's agent did not start: the container it was removed".
     */
    @Test
    void asRootWithItsDataUnderTheClosedRootDirectoryARunTrainsInTheContainer() throws Exception {
        Path root = Path.of("/root");
        Parts.require(Files.isWritable(root) && !Files.getPosixFilePermissions(root)
                .contains(PosixFilePermission.OTHERS_EXECUTE), "Hone running as root with /root closed");
        Path rootHome = Files.createTempDirectory(root, "hone-test-");
        try {
            Path dir = Files.createDirectories(home.resolve("as-root"));
            Files.writeString(dir.resolve("main.py"), """
                    import os
                    open(os.path.join(os.environ["HONE_OUTPUT"], "model.txt"), "w").write("weights")
                    print("uid:", os.getuid())
                    print("accuracy=1.0")
                    """);
            Cli cli = new Cli(rootHome);

            int code = cli.run("run", dir.toString(), "--executor", "docker");

            assertThat(code).as(cli.out() + cli.err()).isZero();
            Path trial = cli.data().resolve("runs/1/trials/1");
            assertThat(Files.readString(trial.resolve("train.log"))).contains("uid: 1000\n");
            assertThat(trial.resolve("output/model.txt")).hasContent("weights");
            assertThat(Files.getPosixFilePermissions(root)).doesNotContain(PosixFilePermission.OTHERS_EXECUTE,
                    PosixFilePermission.OTHERS_READ);
            assertNoContainerLeft("as-root");
        } finally {
            DataDir.delete(rootHome);
        }
    }

    @Test
    void aSecretFromTheEnvironmentIsMaskedInTheEventAndTheLog() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(home.resolve("leaky"));
        Files.writeString(dir.resolve("hone.yaml"), "train: {env: {API_TOKEN: \"${HONE_TEST_TOKEN}\"}}\n");
        Files.writeString(dir.resolve("main.py"), """
                import os
                print("using token " + os.environ["API_TOKEN"])
                raise RuntimeError("login failed for " + os.environ["API_TOKEN"])
                """);
        Cli cli = new Cli(home);
        cli.env.put("HONE_TEST_TOKEN", "tok-7f3a9c");
        Path out = home.resolve("out.json");

        int code = cli.run("run", dir.toString(), "--executor", "docker", "--json", out.toString());

        assertThat(code).as(cli.out() + cli.err()).isEqualTo(3);
        assertThat(new ObjectMapper().readTree(out.toFile()).get("events").get(0).get("message").asText())
                .isEqualTo("leaky: training failed in trial 1: RuntimeError: login failed for *** (exit 1)");
        assertThat(Files.readString(out)).doesNotContain("tok-7f3a9c");
        assertThat(cli.out()).contains("using token ***").doesNotContain("tok-7f3a9c");
        assertThat(Files.readString(cli.data().resolve("runs/1/trials/1/train.log"))).startsWith("using token ***\n")
                .endsWith("\nRuntimeError: login failed for ***\n").doesNotContain("tok-7f3a9c");
        assertNoContainerLeft("leaky");
    }

    private static final String RESOLVE = "import socket\nsocket.getaddrinfo('hone-test.invalid', 443)\n";

    @Test
    void aTrialThatCannotResolveAHostWithoutNetworkIsToldItHasNone() throws IOException {
        Path dir = Files.createDirectories(home.resolve("offline"));
        Files.writeString(dir.resolve("main.py"), RESOLVE);
        Cli cli = new Cli(home);
        Path out = home.resolve("out.json");

        assertThat(cli.run("run", dir.toString(), "--executor", "docker", "--json", out.toString())).isEqualTo(3);

        assertThat(new ObjectMapper().readTree(out.toFile()).get("events").get(0).get("message").asText())
                .isEqualTo("offline: training failed in trial 1: socket.gaierror: [Errno -3] Temporary failure in"
                        + " name resolution (exit 1); the trial has no network (environment.network: none); set"
                        + " network: bridge if it needs one");
        assertThat(cli.run("trials", "1")).isZero();
        assertThat(cli.out()).contains("the trial has no network (environment.network: none)");
    }

    @Test
    void aNetworkErrorUnderBridgeAndAnUnrelatedFailureWithoutNetworkGetNoNetworkHint() throws IOException {
        Path bridged = Files.createDirectories(home.resolve("bridged"));
        Files.writeString(bridged.resolve("main.py"), RESOLVE);
        Files.writeString(bridged.resolve("hone.yaml"), "environment: {executor: docker, network: bridge}\n");
        Path broken = Files.createDirectories(home.resolve("broken"));
        Files.writeString(broken.resolve("main.py"), "raise ValueError('no rows in train.csv')\n");
        Cli cli = new Cli(home);
        Path out = home.resolve("out.json");

        assertThat(cli.run("run", bridged.toString(), "--json", out.toString())).isEqualTo(3);
        assertThat(new ObjectMapper().readTree(out.toFile()).get("events").get(0).get("message").asText())
                .startsWith("bridged: training failed in trial 1: socket.gaierror: [Errno ")
                .endsWith(" (exit 1)").doesNotContain("network");

        assertThat(cli.run("run", broken.toString(), "--executor", "docker", "--json", out.toString()))
                .isEqualTo(3);
        assertThat(new ObjectMapper().readTree(out.toFile()).get("events").get(0).get("message").asText())
                .isEqualTo("broken: training failed in trial 1: ValueError: no rows in train.csv (exit 1)");
    }

    @Test
    void aDockerfileBuildThatCannotResolveAHostSaysWhereTheBuildsNetworkComesFrom() throws IOException {
        Path dir = Files.createDirectories(home.resolve("build-offline"));
        Files.writeString(dir.resolve("main.py"), "print('accuracy=1')\n");
        Files.writeString(dir.resolve("Dockerfile"), "FROM hone/python\nRUN python3 -c \"import socket;"
                + " socket.getaddrinfo('hone-test.invalid', 443)\"\n");
        Files.writeString(dir.resolve("hone.yaml"), "environment: {executor: docker, dockerfile: Dockerfile}\n");
        Cli cli = new Cli(home);
        Path out = home.resolve("out.json");

        assertThat(cli.run("run", dir.toString(), "--json", out.toString())).isEqualTo(3);

        assertThat(new ObjectMapper().readTree(out.toFile()).get("events").get(0).get("message").asText())
                .startsWith("build-offline: training could not start: environment.dockerfile: building Dockerfile"
                        + " failed: ")
                .contains("\nthe build could not reach the network: Hone builds on the Docker daemon's own network"
                        + " (environment.network is the trials'), so the daemon must reach the package index (a"
                        + " proxy: HTTP_PROXY in dockerd's environment), or the Dockerfile must install from files in"
                        + " the repository\nlast lines of the build log:\n")
                .contains("socket.gaierror").contains("[Errno -"); // the build's stream may break the line
    }

    @Test
    void autoTrainsInDockerWhenTheDaemonHasTheImageAndLocallyWhenItDoesNot() throws IOException {
        Path sklearn = Files.createDirectories(home.resolve("with-image"));
        Files.writeString(sklearn.resolve("main.py"), "import sklearn\nprint('accuracy=1.0')\n");
        Path tensorflow = Files.createDirectories(home.resolve("without-image"));
        Files.writeString(tensorflow.resolve("main.py"), "try:\n    import tensorflow\nexcept ImportError:\n"
                + "    pass\nprint('accuracy=1.0')\n");
        Cli cli = new Cli(home);

        assertThat(cli.run("run", sklearn.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("executor docker (auto: Docker answers at " + Docker.host(System.getenv())
                + " and has hone/sklearn, the image for sklearn projects)\n");

        assertThat(cli.run("run", tensorflow.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("executor local (auto: Docker answers at ")
                .contains("but has no image hone/tensorflow; Hone does not pull images: images/build-offline.sh"
                        + " or docker build makes it)");
    }

    @Test
    void aMissingImageEndsTheRunFailedWithBothWaysToGetIt() throws IOException {
        Path dir = Files.createDirectories(home.resolve("missing"));
        Files.writeString(dir.resolve("main.py"), "print('accuracy=1')\n");
        Files.writeString(dir.resolve("hone.yaml"), "environment: {executor: docker, image: hone/nothing-here}\n");
        Cli cli = new Cli(home);
        Path out = home.resolve("out.json");

        assertThat(cli.run("run", dir.toString(), "--json", out.toString())).isEqualTo(3);

        JsonNode event = new ObjectMapper().readTree(out.toFile()).get("events").get(0);
        assertThat(event.get("type").asText()).isEqualTo("training_failed");
        assertThat(event.get("message").asText()).startsWith("missing: training could not start: ")
                .contains("hone/nothing-here");
        assertThat(cli.run("runs")).isZero();
        assertThat(cli.out()).contains("failed");
    }

    /**
     * GPU trials on this machine's dockerd, which has no NVIDIA runtime: the stand-in nvidia-smi says the host has
     * two GPUs, the device request is made, and Docker's refusal is told plainly.
     */
    @Test
    void aDaemonWithoutTheNvidiaRuntimeIsToldPlainlyThatGpuTrialsCannotRunInIt() throws Exception {
        Path dir = Files.createDirectories(home.resolve("gpu"));
        Files.writeString(dir.resolve("main.py"), "import sklearn\nprint('accuracy=1.0')\n");
        Files.writeString(dir.resolve("hone.yaml"), "environment: {executor: docker, resources: {gpus: 1}}\n");
        Cli cli = new Cli(home);
        FakeNvidiaSmi.putOnPath(cli.env, home.resolve("bin"));

        assertThat(cli.run("run", dir.toString())).as(cli.out() + cli.err()).isEqualTo(3);

        assertThat(cli.out() + cli.err()).contains("docker executor: this Docker has no GPU runtime"
                + " (nvidia-container-toolkit): install it, or run GPU trials with executor: local (run 1")
                .doesNotContain("could not select device driver");
        assertNoContainerLeft("gpu");
    }

    /**
     * No container of the project remains once Docker has finished removing it (auto-remove completes shortly
     * after the run closed its session; other tests' containers are not counted).
     */
    private static void assertNoContainerLeft(String project) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        String ids = containers(project);
        while (!ids.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            ids = containers(project);
        }
        assertThat(ids).as("containers of " + project + " left behind").isEmpty();
    }

    private static String containers(String project) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=hone.run", "--filter",
                "label=hone.project=" + project).start();
        String ids = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return ids;
    }
}
