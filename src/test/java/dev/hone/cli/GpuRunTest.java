package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.exec.FakeNvidiaSmi;
import dev.hone.exec.GpuInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code environment.resources.gpus} through {@code hone run}, with the stand-in nvidia-smi on Hone's PATH. */
class GpuRunTest {

    /**
     * A trial that records the GPUs it was given, takes each as a directory (mkdir fails when another trial holds
     * it), and waits at a barrier until two trials have started, so two of them surely hold GPUs at once.
     */
    private static final String TRIAL = """
            shared="$1"
            echo "$CUDA_VISIBLE_DEVICES $HONE_GPUS" > "$shared/seen.$HONE_TRIAL"
            mkdir "$shared/holding.$CUDA_VISIBLE_DEVICES" || { echo "GPU $CUDA_VISIBLE_DEVICES is held by another trial"; exit 1; }
            touch "$shared/started.$HONE_TRIAL"
            i=0
            while [ "$(ls "$shared" | grep -c '^started\\.')" -lt 2 ]; do
                i=$((i + 1)); [ "$i" -gt 1200 ] && { echo "barrier: no second trial started"; exit 1; }
                sleep 0.05
            done
            rmdir "$shared/holding.$CUDA_VISIBLE_DEVICES"
            echo "accuracy=0.5"
            """;

    @TempDir
    Path home;

    private Cli cliWithGpus(int gpus) {
        Cli cli = new Cli(home);
        FakeNvidiaSmi.putOnPath(cli.env, home.resolve("bin"));
        cli.env.put("FAKE_NVIDIA_SMI_GPUS", Integer.toString(gpus));
        return cli;
    }

    private Path project(String resources, String tune) throws IOException {
        Path dir = Files.createDirectories(home.resolve("p"));
        Path shared = Files.createDirectories(home.resolve("shared"));
        Files.writeString(dir.resolve("trial.sh"), TRIAL);
        Files.writeString(dir.resolve("hone.yaml"), "train: {command: sh trial.sh " + shared + "}\n"
                + "environment: {executor: local, resources: " + resources + "}\n"
                + "metric: {name: accuracy}\n" + tune);
        return dir;
    }

    @Test
    void parallelTrialsNeverShareAGpuAndATrialWaitsForOne() throws IOException {
        Path dir = project("{gpus: 1}", "tune: {strategy: random, params: {x: {min: 0, max: 1}}, max_trials: 4,"
                + " parallel: 4}\n");
        Cli cli = cliWithGpus(2);

        assertThat(cli.run("run", dir.toString())).as(cli.out() + cli.err()).isZero();

        List<String> seen;
        try (Stream<Path> files = Files.list(home.resolve("shared"))) {
            seen = files.filter(f -> f.getFileName().toString().startsWith("seen.")).map(f -> {
                try {
                    return Files.readString(f).strip();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(seen).hasSize(4).allMatch(line -> line.equals(FakeNvidiaSmi.uuid(0) + " 1")
                || line.equals(FakeNvidiaSmi.uuid(1) + " 1"));
        assertThat(cli.out()).doesNotContain("held by another trial").contains("waiting for 1 GPU");
    }

    @Test
    void eachTrialRecordsTheMemoryItsGpusHeldAndTheirUtilisation() throws IOException {
        Path dir = Files.createDirectories(home.resolve("p"));
        Files.writeString(dir.resolve("hone.yaml"), "train: {command: echo accuracy=0.5}\n"
                + "environment: {executor: local, resources: {gpus: 1}}\nmetric: {name: accuracy}\n");
        Cli cli = cliWithGpus(2);
        // the trial is given GPU 0 (the first free); GPU 1 is busy with something else
        FakeNvidiaSmi.using(home.resolve("bin"), Map.of(0, new int[] {4096, 75}, 1, new int[] {8192, 25}));
        Path out = home.resolve("out.json");

        assertThat(cli.run("run", dir.toString(), "--json", out.toString())).as(cli.out() + cli.err()).isZero();

        JsonNode resources = new ObjectMapper().readTree(out.toFile()).get("trials").get(0).get("resources");
        assertThat(resources.get("gpu_memory_peak_bytes").asLong()).as(resources.toString()).isEqualTo(4096L << 20);
        assertThat(resources.get("gpu_utilization_mean").asDouble()).isEqualTo(75.0);
        assertThat(resources.get("source").asText()).endsWith(" + nvidia-smi");
    }

    @Test
    void aRunThatAsksForMoreGpusThanTheMachineHasFailsBeforeAnyTrial() throws IOException {
        Path dir = project("{gpus: 2}", "");
        Cli cli = cliWithGpus(1);

        assertThat(cli.run("run", dir.toString())).as(cli.out() + cli.err()).isEqualTo(2);

        assertThat(cli.out() + cli.err()).contains("environment.resources.gpus: the run asks for 2 GPUs per trial"
                + " but this machine has 1: lower environment.resources.gpus to 1 or fewer, or run on a machine"
                + " where nvidia-smi lists 2 GPUs");
        assertThat(home.resolve("shared/seen.1")).doesNotExist();
    }

    @Test
    void limitsGpusCapsWhatARunMayAskFor() throws IOException {
        Path dir = project("{gpus: 2}", "");
        Path config = Files.writeString(home.resolve("hone-server.yaml"), "limits: {gpus: 1}\n");
        Cli cli = cliWithGpus(2);

        assertThat(cli.run("run", dir.toString(), "--config", config.toString())).as(cli.out() + cli.err())
                .isEqualTo(2);

        assertThat(cli.out() + cli.err()).contains("environment.resources.gpus: the run asks for 2 GPUs per trial"
                + " but the installation hands out at most 1 GPU (limits.gpus in hone-server.yaml): raise limits.gpus"
                + " or lower environment.resources.gpus");
    }

    @Test
    void withoutNvidiaSmiARunThatAsksForAGpuSaysSo() throws IOException {
        Path dir = project("{gpus: 1}", "");
        Cli cli = new Cli(home);
        cli.env.put("PATH", "/usr/bin:/bin");

        assertThat(cli.run("run", dir.toString())).as(cli.out() + cli.err()).isEqualTo(2);

        assertThat(cli.out() + cli.err()).contains("the run asks for 1 GPU per trial but this machine has none"
                + " (no nvidia-smi on the PATH)");
    }

    @Test
    void verboseSaysWhichGpusTheMachineHas() throws IOException {
        Path dir = project("{gpus: 0}", "");
        Files.writeString(dir.resolve("trial.sh"), "echo accuracy=0.5\n");
        Cli cli = cliWithGpus(2);

        assertThat(cli.run("run", dir.toString(), "--verbose")).as(cli.out() + cli.err()).isZero();

        assertThat(cli.out()).contains("GPUs: 2 (" + home.resolve("bin/nvidia-smi") + ")\n  0 "
                + FakeNvidiaSmi.uuid(0) + " NVIDIA Stand-In A100\n  1 " + FakeNvidiaSmi.uuid(1));
    }

    @Test
    void aTrialWithNoGpusKeepsItsEnvironment() throws IOException {
        Path dir = project("{gpus: 0}", "");
        Files.writeString(dir.resolve("trial.sh"), "echo \"[${CUDA_VISIBLE_DEVICES-unset}] [${HONE_GPUS-unset}]\"\n"
                + "echo accuracy=0.5\n");
        Cli cli = cliWithGpus(2);

        assertThat(cli.run("run", dir.toString(), "--verbose")).as(cli.out() + cli.err()).isZero();

        assertThat(cli.out()).contains("[trial 1] [unset] [unset]");
    }

    /**
     * Trains on a real GPU: runs only where the real nvidia-smi lists one, and is skipped elsewhere — the one test
     * allowed to skip in CI, since no CI machine here has a GPU. Needs python3 with PyTorch built for CUDA.
     */
    @Test
    void trainsOnARealGpu() throws IOException {
        Cli cli = new Cli(home);
        Assumptions.assumeFalse(GpuInventory.read(cli.env).gpus().isEmpty(), "no GPU: nvidia-smi lists none here");
        Path dir = Files.createDirectories(home.resolve("gpu"));
        Files.writeString(dir.resolve("main.py"), """
                import os, torch
                assert torch.cuda.device_count() == 1, os.environ.get("CUDA_VISIBLE_DEVICES")
                x = torch.randn(256, 256, device="cuda")
                w = torch.zeros(256, 1, device="cuda", requires_grad=True)
                y = x[:, :1] * 3
                opt = torch.optim.SGD([w], lr=0.1)
                for _ in range(200):
                    opt.zero_grad()
                    loss = ((x @ w - y) ** 2).mean()
                    loss.backward()
                    opt.step()
                print("loss=%f" % loss.item())
                """);
        Files.writeString(dir.resolve("hone.yaml"), "environment: {executor: local, resources: {gpus: 1}}\n"
                + "metric: {name: loss, direction: minimize}\n");

        assertThat(cli.run("run", dir.toString())).as(cli.out() + cli.err()).isZero();
    }
}
