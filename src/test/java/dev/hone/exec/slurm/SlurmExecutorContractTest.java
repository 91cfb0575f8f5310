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

}
