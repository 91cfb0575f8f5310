package dev.hone.exec.kubernetes;

import dev.hone.exec.OutputLines;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A pod's log stream ({@code follow=true}) read into the command's {@link OutputLines} as it arrives, on a thread of
 * its own, until the container's output ends or the stream is closed.
 */
final class PodLog {

    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile LogWatch watch;
    private volatile boolean closed;

    private PodLog() {}

    /** Starts following {@code pod}'s container into {@code lines}. */
    static PodLog follow(KubernetesClient client, String namespace, String pod, OutputLines lines) {
        PodLog log = new PodLog();
        Thread.ofVirtual().name("hone-pod-log-" + pod).start(() -> log.read(client, namespace, pod, lines));
        return log;
    }

    private void read(KubernetesClient client, String namespace, String pod, OutputLines lines) {
        try {
            watch = client.pods().inNamespace(namespace).withName(pod).inContainer(JobManifests.CONTAINER)
                    .withReadyWaitTimeout(0).watchLog();
            if (closed) {
                watch.close();
                return;
            }
            char[] buffer = new char[8192];
            try (Reader reader = new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8)) {
                for (int n; (n = reader.read(buffer)) >= 0; ) {
                    lines.accept(buffer, 0, n);
                    lines.flush();
                }
            }
        } catch (IOException | KubernetesClientException e) {
            // the stream was closed, or the pod is gone: what arrived is in the log
        } finally {
            ended.complete(null);
        }
    }

    /** Waits at most {@code bound} for the output to end; false when it did not. */
    boolean awaitEnd(Duration bound) throws InterruptedException {
        try {
            ended.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** Stops following. */
    void close() {
        closed = true;
        LogWatch w = watch;
        if (w != null) {
            w.close();
        }
    }
}
