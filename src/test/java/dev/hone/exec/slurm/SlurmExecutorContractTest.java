package dev.hone.exec.slurm;

import dev.hone.exec.Executor;
import dev.hone.exec.ExecutorContract;
import dev.hone.spec.ServerSpec;
import java.util.Map;
import dev.hone.testing.Parts;
import org.junit.jupiter.api.BeforeAll;

/** The executor contract as batch jobs of the Slurm cluster this host's sbatch reaches (.ci/slurm.sh's in CI). */
class SlurmExecutorContractTest extends ExecutorContract {

    @BeforeAll
    static void needsSlurm() {
        Parts.requireSlurm();
    }

    @Override
    protected Executor executor() {
        return new SlurmExecutor(System.getenv(), Map.of("PATH", System.getenv("PATH")), ServerSpec.DEFAULT_LOG_SIZE,
                SlurmExecutor.Options.DEFAULTS);
    }

    /**
     * Not yet: a job's CPU time and peak memory are to come from the job's accounting (sacct's TotalCPU and MaxRSS
     * where accounting exists; the CI cluster has none, JobAcctGatherType=jobacct_gather/none) or the batch script's
     * own report, as the Docker agent's.
     */
    @Override
    protected boolean measuresUsage() {
        return false;
    }
}
