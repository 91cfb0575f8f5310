package dev.hone.exec.docker;

import dev.hone.exec.Executor;
import dev.hone.exec.ExecutorContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The executor contract in a workspace container on the offline image hone/python. */
@ExtendWith(DockerAvailable.class)
class DockerExecutorContractTest extends ExecutorContract {

    @Override
    protected Executor executor() {
        return new DockerExecutor(System.getenv());
    }

    @Override
    protected String image() {
        return "hone/python";
    }
}
