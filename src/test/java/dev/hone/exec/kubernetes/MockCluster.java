package dev.hone.exec.kubernetes;

import dev.hone.spec.ServerSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A cluster for the Kubernetes executor's tests: fabric8's mock API server in CRUD mode (Jobs, pods and Secrets
 * stored and watched as the API server does, nothing run) and the {@link StandInKubelet} that runs their pods.
 * Hone's client reaches the API server, except for pod logs, which it asks of the stand-in kubelet directly: a real
 * API server proxies them to the node's kubelet, and the mock server cannot stream a response.
 */
public final class MockCluster implements AutoCloseable {

    private static final Pattern JOBS = Pattern.compile("/apis/batch/v1/namespaces/[^/]+/jobs");

    final KubernetesMockServer server;
    final KubernetesClient admin;
    final StandInKubelet kubelet;
    final KubernetesClient hones;
    /** Each request by its id: the client may hand one request to the interceptors more than once. */
    private final Map<java.util.UUID, Instant> jobPosts = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>());
    /** Every request Hone's client sent (method and URI, as addressed to the API server), by its id. */
    private final Map<java.util.UUID, Request> requests = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>());

    /** A request Hone's client sent to the API server. */
    record Request(String method, URI uri) {}

    /**
     * @param scratch where the stand-in kubelet keeps its pods' logs and volumes
     * @param claims  each PersistentVolumeClaim's name and the directory that holds it
     */
    public MockCluster(Path scratch, Map<String, Path> claims) throws IOException {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesMixedDispatcher(new HashMap<>()), false);
        server.init();
        admin = server.createClient();
        kubelet = new StandInKubelet(admin, scratch, claims);
        URI logs = kubelet.logEndpoint();
        hones = server.createClient(builder -> builder.withHttpClientBuilderConsumer(http ->
                http.addOrReplaceInterceptor("stand-in-kubelet-logs", new Interceptor() {
                    @Override
                    public void before(BasicBuilder request, HttpRequest original, RequestTags tags) {
                        requests.putIfAbsent(original.id(), new Request(original.method(), original.uri()));
                        if (original.method().equals("POST") && JOBS.matcher(original.uri().getPath()).matches()) {
                            jobPosts.putIfAbsent(original.id(), Instant.now());
                        }
                        if (StandInKubelet.isLogPath(original.uri().getPath())) {
                            request.uri(logs.resolve(original.uri().getRawPath()
                                    + (original.uri().getRawQuery() == null ? "" : "?" + original.uri().getRawQuery())));
                        }
                    }
                })));
    }

    /** An executor on this cluster, its transfer endpoint on loopback, creating at most 1000 Jobs a second. */
    KubernetesExecutor executor() {
        return executor(1000);
    }

    /** An executor on this cluster creating at most {@code perSecond} Jobs a second. */
    KubernetesExecutor executor(double perSecond) {
        return new KubernetesExecutor(() -> hones, "127.0.0.1", 0, null, perSecond, ServerSpec.DEFAULT_LOG_SIZE);
    }

    /** When Hone's client sent each request that creates a Job, in order. */
    List<Instant> jobPosts() {
        synchronized (jobPosts) {
            return List.copyOf(jobPosts.values());
        }
    }

    /** Every request Hone's client sent to the API server so far, in order (pod logs included). */
    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests.values());
        }
    }

    /** The namespace the mock server's clients use. */
    public String namespace() {
        return hones.getNamespace();
    }

    /**
     * Writes a kubeconfig file for the mock API server, in {@link #namespace()}, to {@code file}: what
     * {@code KUBECONFIG} points a Hone at. A client made from it reads pod logs from the mock server, which has none
     * (only the clients this class makes read them from the stand-in kubelet).
     */
    public Path kubeconfig(Path file) throws IOException {
        return Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                contexts:
                - name: mock
                  context: {cluster: mock, user: hone, namespace: %s}
                current-context: mock
                users:
                - name: hone
                  user: {token: mock-token}
                """.formatted(hones.getMasterUrl(), namespace()));
    }

    /** The Jobs the stand-in kubelet was given. */
    public int jobsRun() {
        return kubelet.jobs().size();
    }

    @Override
    public void close() {
        kubelet.close();
        hones.close();
        admin.close();
        server.destroy();
    }
}
