package dev.hone.exec.kubernetes;

import dev.hone.exec.Executor;
import dev.hone.exec.ExecutorContract;
import dev.hone.spec.Spec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor contract with each command a Job on fabric8's mock API server, run by the stand-in kubelet. The run
 * directory is on a claim ({@code environment.kubernetes.volume}) that the kubelet mounts where Hone has it, since
 * the contract's commands that run at once share their workspace; the pods that fetch and send it over HTTP are
 * tested in {@link KubernetesExecutorTest}.
 */
class KubernetesExecutorContractTest extends ExecutorContract {

    private static final Map<String, Path> CLAIMS = new ConcurrentHashMap<>();
    private static MockCluster cluster;

    @BeforeAll
    static void startTheCluster(@TempDir Path scratch) throws IOException {
        cluster = new MockCluster(scratch, CLAIMS);
    }

    @AfterAll
    static void stopTheCluster() {
        cluster.close();
    }

    @Override
    protected Executor executor() {
        CLAIMS.put("hone-data", data);
        return cluster.executor().configured(new Spec.Kubernetes(null, null, Map.of(), List.of(), List.of(),
                Map.of(), "hone-data"), 0);
    }

    @Override
    protected String image() {
        return "hone/python";
    }

    /** Not yet: a pod's CPU time and peak memory would come from its own report or the metrics API (issue 13). */
    @Override
    protected boolean measuresUsage() {
        return false;
    }
}
