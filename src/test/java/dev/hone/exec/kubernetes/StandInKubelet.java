package dev.hone.exec.kubernetes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hone.exec.Executor;
import dev.hone.exec.LocalExecutor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.ProcessResult.Ending;
import dev.hone.exec.SessionConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the kubelet (and the Job controller and garbage collector) of a one-node cluster, for tests against
 * fabric8's mock API server, where nothing runs the Jobs created. It watches Jobs, creates each one's pod, runs the
 * pod's command as a local process with the pod's environment (its {@code env}, and {@code envFrom} Secrets read
 * from the API), its {@code emptyDir} volume a fresh directory bind-mounted at the mount path in a mount namespace
 * of its own ({@code unshare}, so the pod really starts without the run directory's files), a claim volume the
 * directory the test says holds it; and writes the pod's and the Job's status back. The pod's output is served as
 * its log ({@code follow=true} streams it live), as the API server proxies a kubelet's. A deleted Job's process tree
 * is killed and its pod deleted. It can pretend: an image that cannot be pulled, a container ended with exit 137
 * reported {@code OOMKilled} (as the kernel's OOM killer ends one), the Job's {@code activeDeadlineSeconds} passed,
 * a pod evicted.
 */
final class StandInKubelet implements AutoCloseable {

    private static final Pattern LOG_PATH = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/log");

    private final KubernetesClient client;
    private final Path scratch;
    private final Map<String, Path> claims;
    private final LocalExecutor processes = new LocalExecutor(Map.of("PATH", System.getenv("PATH")),
            Duration.ofMillis(300));
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Set<String> unpullable = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger evictNext = new java.util.concurrent.atomic.AtomicInteger();
    private final List<String> created = new CopyOnWriteArrayList<>();
    private final List<Job> seenJobs = new CopyOnWriteArrayList<>();
    /** The uids of the Jobs given a pod: each gets one, whether its add event or a later listing found it. */
    private final Set<String> startedJobs = ConcurrentHashMap.newKeySet();
    /** The uids of the deleted Jobs whose pods are collected: once, whether the delete event or a listing told. */
    private final Set<String> collectedJobs = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService reconciler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("stand-in-kubelet").factory());
    private final List<Secret> seenSecrets = new CopyOnWriteArrayList<>();
    private final SharedIndexInformer<Job> jobs;
    private final HttpServer logs;

    /** A pod this kubelet started. */
    private static final class Running {
        final Pod pod;
        final Path log;
        final CompletableFuture<ProcessResult> ended = new CompletableFuture<>();
        final CompletableFuture<Void> started = new CompletableFuture<>();
        volatile ProcessRequest request;
        volatile Executor.Session session;
        volatile String evicted;

        Running(Pod pod, Path log) {
            this.pod = pod;
            this.log = log;
        }
    }

    /**
     * @param client  the mock API server's client
     * @param scratch where pods' logs and emptyDir volumes go
     * @param claims  each PersistentVolumeClaim's name and the directory that holds it (read when a pod starts)
     */
    StandInKubelet(KubernetesClient client, Path scratch, Map<String, Path> claims) throws IOException {
        this.client = client;
        this.scratch = scratch;
        this.claims = claims;
        logs = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        logs.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        logs.createContext("/", this::serveLog);
        logs.start();
        jobs = client.batch().v1().jobs().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Job job) {
                startOnce(job);
            }

            @Override
            public void onUpdate(Job before, Job now) {}

            @Override
            public void onDelete(Job job, boolean finalStateUnknown) {
                collectOnce(job);
            }
        });
        reconciler.scheduleWithFixedDelay(this::reconcile, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Starts {@code job}'s pod unless it has one. The mock API server's watch can drop an event under load, so the
     * Jobs are also listed every 200 ms and one missed is started then, as a kubelet's controllers resync.
     */
    private void startOnce(Job job) {
        if (job.getMetadata().getDeletionTimestamp() == null && startedJobs.add(job.getMetadata().getUid())) {
            Thread.ofVirtual().start(() -> {
                try {
                    start(job);
                } catch (RuntimeException e) {
                    System.err.println("stand-in kubelet: Job " + job.getMetadata().getName() + " failed: " + e);
                }
            });
        }
    }

    /**
     * Starts the Jobs whose add event was missed, and collects the pods of Jobs whose delete event was missed (as
     * Kubernetes' garbage collector does: a pod whose owner is gone is deleted). Pods are listed before Jobs, so a
     * pod whose Job is not in the later listing has lost its Job for good.
     */
    private void reconcile() {
        try {
            List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
            List<Job> all = client.batch().v1().jobs().inAnyNamespace().list().getItems();
            all.stream().filter(job -> job.getStatus() == null || job.getStatus().getConditions() == null
                            || job.getStatus().getConditions().isEmpty())
                    .forEach(this::startOnce);
            Set<String> jobUids = all.stream().map(job -> job.getMetadata().getUid()).collect(Collectors.toSet());
            for (Pod pod : pods) {
                Objects.requireNonNullElse(pod.getMetadata().getOwnerReferences(),
                                List.<OwnerReference>of()).stream()
                        .filter(o -> "Job".equals(o.getKind()) && !jobUids.contains(o.getUid()))
                        .findFirst().ifPresent(gone -> collectOnce(new JobBuilder().withNewMetadata()
                                .withName(gone.getName()).withUid(gone.getUid())
                                .withNamespace(pod.getMetadata().getNamespace()).endMetadata().build()));
            }
        } catch (RuntimeException e) {
            // the mock server is stopping: nothing to start
        }
    }

    private void collectOnce(Job job) {
        if (collectedJobs.add(job.getMetadata().getUid())) {
            Thread.ofVirtual().start(() -> collect(job));
        }
    }

    /** Where the pods' logs are served: the base of the API's {@code .../pods/NAME/log} paths. */
    URI logEndpoint() {
        return URI.create("http://127.0.0.1:" + logs.getAddress().getPort());
    }

    /** Whether {@code path} is a pod log's, which this kubelet serves rather than the API server. */
    static boolean isLogPath(String path) {
        return LOG_PATH.matcher(path).matches();
    }

    /** Pods of {@code image} wait in ImagePullBackOff; null: every image can be pulled again. */
    void cannotPull(String image) {
        if (image == null) {
            unpullable.clear();
        } else {
            unpullable.add(image);
        }
    }

    /** The names of the pods this kubelet created, in order. */
    List<String> pods() {
        return List.copyOf(created);
    }

    /** The pods whose processes run now. */
    Set<String> running() {
        return Set.copyOf(running.keySet());
    }

    /** Every Job this kubelet was given, as it was created. */
    List<Job> jobs() {
        return List.copyOf(seenJobs);
    }

    /** Every Secret a pod took variables from, as it was when the pod started. */
    List<Secret> secrets() {
        return List.copyOf(seenSecrets);
    }

    /** The next {@code n} pods to start are evicted as they start, before their command has run. */
    void evictNextPods(int n) {
        evictNext.set(n);
    }

    /** Evicts the running pod {@code name}: its processes killed, the pod Failed with reason Evicted. */
    void evict(String name) {
        Running r = running.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no pod " + name + " runs here; running: " + running.keySet());
        }
        r.evicted = "The node was low on resource: memory.";
        r.session.cancel(r.request);
    }

    private void start(Job job) {
        seenJobs.add(job);
        String ns = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName() + "-" + UUID.randomUUID().toString().substring(0, 5);
        Map<String, String> labels = new LinkedHashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
        labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
        labels.put("job-name", job.getMetadata().getName());
        Pod pod = client.pods().inNamespace(ns).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).withLabels(labels)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                        .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .withNewStatus().withPhase("Pending").endStatus()
                .build()).create();
        created.add(name);
        Container container = pod.getSpec().getContainers().getFirst();
        if (unpullable.contains(container.getImage())) {
            status(pod, "Pending", null, new ContainerStatusBuilder().withName(container.getName())
                    .withImage(container.getImage()).withReady(false).withRestartCount(0).withNewState()
                    .withNewWaiting().withReason("ImagePullBackOff").withMessage("Back-off pulling image \""
                            + container.getImage() + "\"").endWaiting().endState().build());
            return;
        }
        Running r;
        try {
            r = new Running(pod, Files.createDirectories(scratch.resolve(name)).resolve("container.log"));
            Files.createFile(r.log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        running.put(name, r);
        try {
            run(job, r, container);
        } finally {
            running.remove(name);
        }
    }

    private void run(Job job, Running r, Container container) {
        Pod pod = r.pod;
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom() == null ? List.<EnvFromSource>of() : container.getEnvFrom()) {
            Secret secret = client.secrets().inNamespace(pod.getMetadata().getNamespace())
                    .withName(from.getSecretRef().getName()).get();
            seenSecrets.add(secret);
            secret.getData().forEach((k, v) -> env.put(k, new String(Base64.getDecoder().decode(v),
                    StandardCharsets.UTF_8)));
        }
        for (EnvVar var : container.getEnv()) {
            env.put(var.getName(), var.getValue());
        }
        Long deadline = job.getSpec().getActiveDeadlineSeconds();
        r.request = new ProcessRequest(commandLine(pod, container), env, r.log,
                deadline == null ? null : Duration.ofSeconds(deadline), line -> {});
        try (Executor.Session session = processes.open(r.log.getParent(), new SessionConfig(
                pod.getMetadata().getName(), "stand-in-kubelet", null, null, null, true, Map.of()))) {
            r.session = session;
            r.started.complete(null);
            String startedAt = Instant.now().toString();
            status(pod, "Running", null, containerStatus(container, startedAt, null, null));
            if (evictNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status(pod, "Failed", "Evicted", containerStatus(container, startedAt, 137, "Error"),
                        "The node was low on resource: memory.");
                jobFailed(job, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
                return;
            }
            ProcessResult result = session.run(r.request);
            r.ended.complete(result);
            if (r.evicted != null) {
                status(pod, "Failed", "Evicted", containerStatus(container, startedAt, 137, "Error"), r.evicted);
                jobFailed(job, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
            } else if (result.ending() == Ending.TIMED_OUT) {
                status(pod, "Failed", "DeadlineExceeded", containerStatus(container, startedAt, 137, "Error"));
                jobFailed(job, "DeadlineExceeded", "Job was active longer than specified deadline");
            } else if (result.ending() == Ending.EXITED) {
                int code = result.exitCode();
                String reason = code == 0 ? "Completed" : code == 137 ? "OOMKilled" : "Error";
                status(pod, code == 0 ? "Succeeded" : "Failed", null, containerStatus(container, startedAt, code, reason));
                if (code == 0) {
                    jobCondition(job, "Complete", null, null, true);
                } else {
                    jobFailed(job, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
                }
            }
            // KILLED: the Job was deleted; collect() deletes the pod
        } catch (RuntimeException e) {
            r.ended.completeExceptionally(e);
            throw e;
        } finally {
            r.started.complete(null);
            r.ended.complete(null);
        }
    }

    /** The container's command, in a mount namespace where each volume is at its mount path. */
    private String commandLine(Pod pod, Container container) {
        List<String> binds = new ArrayList<>();
        for (VolumeMount mount : container.getVolumeMounts()) {
            Volume volume = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                    .findFirst().orElseThrow();
            Path source;
            if (volume.getEmptyDir() != null) {
                source = scratch.resolve(pod.getMetadata().getName()).resolve("volumes").resolve(volume.getName());
            } else if (volume.getPersistentVolumeClaim() != null) {
                Path claim = claims.get(volume.getPersistentVolumeClaim().getClaimName());
                if (claim == null) {
                    throw new IllegalStateException("no claim " + volume.getPersistentVolumeClaim().getClaimName());
                }
                source = mount.getSubPath() == null ? claim : claim.resolve(mount.getSubPath());
            } else {
                throw new IllegalStateException("the stand-in kubelet has no volume like " + volume);
            }
            try {
                Files.createDirectories(source);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (!source.equals(Path.of(mount.getMountPath()))) {
                binds.add("mkdir -p " + quote(mount.getMountPath()) + " && mount --bind " + quote(source.toString())
                        + " " + quote(mount.getMountPath()));
            }
        }
        List<String> argv = new ArrayList<>(container.getCommand());
        if (container.getArgs() != null) {
            argv.addAll(container.getArgs());
        }
        String exec = "exec " + String.join(" ", argv.stream().map(StandInKubelet::quote).toList());
        if (binds.isEmpty()) {
            return exec;
        }
        return "exec unshare --mount --propagation private sh -c " + quote(String.join(" && ", binds) + " && "
                + exec);
    }

    private void collect(Job job) {
        String ns = job.getMetadata().getNamespace();
        for (Pod pod : client.pods().inNamespace(ns).list().getItems()) {
            boolean owned = pod.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> o.getUid().equals(job.getMetadata().getUid()));
            if (!owned) {
                continue;
            }
            Running r = running.get(pod.getMetadata().getName());
            if (r != null) {
                r.started.join();
                if (r.session != null) {
                    r.session.cancel(r.request);
                }
                r.ended.join();
            }
            client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).delete();
        }
        for (Secret secret : client.secrets().inNamespace(ns).list().getItems()) {
            if (secret.getMetadata().getOwnerReferences() != null && secret.getMetadata().getOwnerReferences()
                    .stream().anyMatch(o -> o.getUid().equals(job.getMetadata().getUid()))) {
                client.secrets().inNamespace(ns).withName(secret.getMetadata().getName()).delete();
            }
        }
    }

    private void serveLog(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher m = LOG_PATH.matcher(exchange.getRequestURI().getPath());
            Running r = m.matches() ? running.get(m.group(2)) : null;
            Path log = r != null ? r.log : m.matches() ? scratch.resolve(m.group(2)).resolve("container.log") : null;
            if (log == null || !Files.exists(log)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            boolean follow = exchange.getRequestURI().getQuery() != null
                    && exchange.getRequestURI().getQuery().contains("follow=true");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                byte[] buffer = new byte[8192];
                while (true) {
                    boolean done = r == null || !follow || r.ended.isDone();
                    int n;
                    while ((n = file.read(buffer)) > 0) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                    if (done) {
                        break;
                    }
                    try {
                        r.ended.get(20, java.util.concurrent.TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                        // more output may have come: read on
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            out.close();
        } catch (IOException e) {
            // the follower went away
        }
    }

    /** The container running since {@code startedAt}; with an exit code, terminated now (as a kubelet says). */
    private static ContainerStatus containerStatus(Container container, String startedAt, Integer exitCode,
                                                   String reason) {
        boolean runningNow = exitCode == null;
        ContainerStatusBuilder b = new ContainerStatusBuilder().withName(container.getName())
                .withImage(container.getImage()).withReady(runningNow).withRestartCount(0);
        return runningNow
                ? b.withNewState().withNewRunning().withStartedAt(startedAt).endRunning().endState().build()
                : b.withNewState().withNewTerminated().withExitCode(exitCode).withReason(reason)
                        .withStartedAt(startedAt).withFinishedAt(Instant.now().toString()).endTerminated().endState()
                        .build();
    }

    private void status(Pod pod, String phase, String reason, ContainerStatus container) {
        status(pod, phase, reason, container, null);
    }

    private void status(Pod pod, String phase, String reason, ContainerStatus container, String message) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .editStatus(p -> new PodBuilder(p).editOrNewStatus().withPhase(phase).withReason(reason)
                        .withMessage(message).withContainerStatuses(container).endStatus().build());
    }

    private void jobFailed(Job job, String reason, String message) {
        jobCondition(job, "Failed", reason, message, false);
    }

    private void jobCondition(Job job, String type, String reason, String message, boolean succeeded) {
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                .editStatus(j -> {
                    if (j.getStatus() == null) {
                        j.setStatus(new JobStatus());
                    }
                    j.getStatus().setConditions(List.of(new JobConditionBuilder().withType(type).withStatus("True")
                            .withReason(reason).withMessage(message).withLastTransitionTime(Instant.now().toString())
                            .build()));
                    j.getStatus().setSucceeded(succeeded ? 1 : 0);
                    j.getStatus().setFailed(succeeded ? 0 : 1);
                    return j;
                });
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public void close() {
        reconciler.shutdownNow();
        jobs.close();
        logs.stop(0);
        for (Running r : running.values()) {
            if (r.session != null) {
                r.session.cancel(r.request);
            }
        }
    }
}
