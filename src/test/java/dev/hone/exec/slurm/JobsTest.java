package dev.hone.exec.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.error.EnvironmentException;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.SessionConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sbatch's command line for a job: the run's resources, environment.slurm, and nothing of the job's environment. */
class JobsTest {

    private final JobFiles files = new JobFiles(Path.of("/srv/hone/runs/7/slurm/hone-digits-r7-t3"));

    @Test
    void asksForTheRunsResourcesTheSpecsPlacementAndATimeLimitPastHonesTimeout() {
        SessionConfig config = new SessionConfig("7", "digits", null, 1.5, 3L << 30, false,
                Map.of("API_TOKEN", "tok-91c4e7b2"));
        SlurmExecutor.Options options = new SlurmExecutor.Options("gpu", "ml", "normal", "a100",
                List.of("--nice=10"), 2);
        String name = Jobs.name(Jobs.prefix(config), new ProcessRequest("python3 main.py",
                Map.of("HONE_TRIAL", "3"), null, null, line -> {}), 1);

        List<String> args = Jobs.sbatch(name, Jobs.resources(config), options, Duration.ofSeconds(90), files,
                Path.of("/srv/hone/runs/7/workspace"));

        assertThat(args).containsExactly("sbatch", "--parsable", "--job-name=hone-digits-r7-t3",
                "--output=/srv/hone/runs/7/slurm/hone-digits-r7-t3/output", "--open-mode=append",
                "--chdir=/srv/hone/runs/7/workspace", "--export=NONE", "--no-requeue", "--nodes=1", "--ntasks=1",
                "--cpus-per-task=2", "--mem=3072M", "--gres=gpu:2", "--time=3", "--partition=gpu", "--account=ml",
                "--qos=normal", "--constraint=a100", "--nice=10", "/srv/hone/runs/7/slurm/hone-digits-r7-t3/job.sh");
        assertThat(String.join(" ", args)).doesNotContain("tok-91c4e7b2");
    }

    @Test
    void aCommandThatIsNoTrialIsNumberedAndAJobWithoutLimitsAsksForNone() {
        SessionConfig config = new SessionConfig("12", "my project", null, null, null, false, Map.of());
        String name = Jobs.name(Jobs.prefix(config), new ProcessRequest("python3 rebuild.py", Map.of(), null, null,
                line -> {}), 4);

        List<String> args = Jobs.sbatch(name, Jobs.resources(config), SlurmExecutor.Options.DEFAULTS, null, files,
                Path.of("/w"));

        assertThat(name).isEqualTo("hone-my_project-r12-c4");
        assertThat(args).noneMatch(arg -> arg.startsWith("--cpus-per-task") || arg.startsWith("--mem")
                || arg.startsWith("--time") || arg.startsWith("--gres") || arg.startsWith("--partition"));
    }

    @Test
    void theTimeLimitIsWholeMinutesRoundedUpAndOneMore() {
        assertThat(Jobs.timeLimitMinutes(Duration.ofSeconds(1))).isEqualTo(2);
        assertThat(Jobs.timeLimitMinutes(Duration.ofMinutes(5))).isEqualTo(6);
        assertThat(Jobs.timeLimitMinutes(Duration.ofMillis(300_001))).isEqualTo(7);
    }

    @Test
    void aHostWithoutSbatchFailsTheRunBeforeAnyJobSayingWhatItNeeds() {
        SlurmExecutor executor = new SlurmExecutor(Map.of("PATH", "/nonexistent"), Map.of(), 1 << 20,
                SlurmExecutor.Options.DEFAULTS);

        assertThatThrownBy(() -> executor.open(Path.of("/tmp"), null)).isInstanceOf(EnvironmentException.class)
                .hasMessage("slurm executor: sbatch is not on the PATH of this host (/nonexistent): the slurm executor"
                        + " submits each trial with Slurm's sbatch, squeue, scontrol and scancel; install Slurm's client"
                        + " commands and its munge key on the host that runs Hone");
    }
}
