package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hone run --executor slurm --dry-run}: the sbatch line, the batch script and the job's environment file. */
class SlurmDryRunTest {

    static final String TOKEN = "tok-9d1e5f2a";

    @TempDir
    Path home;

    @Test
    void printsTheSbatchLineTheScriptAndTheEnvironmentWithTheSecretsMaskedSubmittingNothing() throws IOException {
        Path dir = RunCommandTest.project(home.resolve("digits"), """
                train:
                  timeout: 10m
                  env: {WANDB_API_KEY: "${WANDB_API_KEY}", EPOCHS: "3"}
                environment:
                  resources: {cpus: 2, memory: 4g, gpus: 1}
                  slurm: {partition: gpu, account: ml-team, extra_args: [--nice=10]}
                """, "print('accuracy=1')\n");
        Cli cli = new Cli(home);
        cli.env.put("WANDB_API_KEY", TOKEN);

        int code = cli.run("run", dir.toString(), "--executor", "slurm", "--dry-run");

        assertThat(code).as(cli.err()).isZero();
        String text = cli.out();
        Path jobDir = cli.data().resolve("runs/0/slurm/hone-digits-r0-t1");
        assertThat(text).startsWith("# executor slurm (as configured): what trial 1 submits; the run id (0), its"
                + " paths and the trial's parameters are placeholders\nsbatch --parsable --job-name=hone-digits-r0-t1"
                + " --output=" + jobDir.resolve("output") + " --open-mode=append --chdir="
                + cli.data().resolve("runs/0/workspace") + " --export=NONE --no-requeue --nodes=1 --ntasks=1"
                + " --cpus-per-task=2 --mem=4096M --gres=gpu:1 --time=11 --partition=gpu --account=ml-team --nice=10 "
                + jobDir.resolve("job.sh") + "\n");
        assertThat(text).contains("sh -c 'python3 main.py' </dev/null\n", "EPOCHS='3'\n", "HONE_TRIAL='1'\n",
                "WANDB_API_KEY='***'\n", "(mode 0600): Hone's environment, by name: ");
        assertThat(text).doesNotContain(TOKEN);
        assertThat(Files.exists(cli.data().resolve("runs"))).as("a run directory").isFalse();
    }
}
