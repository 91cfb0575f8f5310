package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.exec.FakeNvidiaSmi;
import dev.hone.testing.Parts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU trials under {@code executor: docker} on this machine's real dockerd, which has no NVIDIA runtime: the
 * stand-in nvidia-smi says the host has two GPUs, the device request is made, and Docker's refusal is told plainly.
 */
class DockerGpuTest {

    @TempDir
    Path home;

    @BeforeEach
    void needsDocker() {
        Parts.requireDocker();
    }

    @Test
    void aDaemonWithoutTheNvidiaRuntimeIsToldPlainly() throws Exception {
        Path dir = Files.createDirectories(home.resolve("gpu"));
        Files.writeString(dir.resolve("main.py"), "import sklearn\nprint('accuracy=1.0')\n");
        Files.writeString(dir.resolve("hone.yaml"), "environment: {executor: docker, resources: {gpus: 1}}\n");
        Cli cli = new Cli(home);
        Path bin = FakeNvidiaSmi.installIn(home.resolve("bin"));
        cli.env.put("PATH", bin + ":" + cli.env.getOrDefault("PATH", "/usr/bin:/bin"));

        int code = cli.run("run", dir.toString());

        assertThat(code).as(cli.out() + cli.err()).isEqualTo(3);
        assertThat(cli.out() + cli.err()).contains("docker executor: this Docker has no GPU runtime"
                + " (nvidia-container-toolkit): install it, or run GPU trials with executor: local (run 1")
                .doesNotContain("could not select device driver");
    }
}
