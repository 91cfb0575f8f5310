package dev.hone.exec;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The executor contract on this machine's processes. */
class LocalExecutorContractTest extends ExecutorContract {

    @Override
    protected Executor executor() {
        return new LocalExecutor(Map.of("PATH", System.getenv("PATH")), Duration.ofMillis(300));
    }

    @AfterEach
    void stopWhatAFailedTestLeft() {
        LocalExecutor.stopLeftovers(workspace);
    }
}
