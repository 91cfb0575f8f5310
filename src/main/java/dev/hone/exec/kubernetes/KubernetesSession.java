package dev.hone.exec.kubernetes;

import dev.hone.exec.Executor;
import dev.hone.exec.Masks;
import dev.hone.exec.OutputLines;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.ProcessResult.Ending;
import dev.hone.exec.SessionConfig;
import dev.hone.exec.SessionEvents;
import dev.hone.spec.Spec;
import dev.hone.time.Durations;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's commands as Jobs in one namespace. Two informers (the run's Jobs and pods, by the {@code hone.run} label)
 * tell each {@link TrialJob} what the API says; each command's pod log is followed into its log file, tail and line
 * consumer with the session's secrets masked. A command that ends, is stopped or times out has its Job deleted with
 * foreground propagation, and returns once the Job and its pods are gone from the API. A Job of the run left by a
 * Hone that stopped (or a session whose thread was interrupted) is adopted when the resumed run runs its trial
 * again: its pod's token is granted again and its log followed from the start; one whose pod cannot reach this Hone
 * is deleted and the trial runs in a new Job, and those left for no trial are deleted when the session closes.
 */
final class KubernetesSession implements Executor.Session {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesSession.class);
    /** How long Hone waits past a command's own timeout for the cluster to report its deadline. */
    static final Duration DEADLINE_MARGIN = Duration.ofMinutes(2);
    /** How long a deleted Job's pods may take to stop before Hone stops waiting for them. */
    static final Duration DELETE_BOUND = Duration.ofMinutes(1);
    /** How long the log stream may go on once the pod has ended. */
    static final Duration LOG_DRAIN = Duration.ofSeconds(10);
    /** How many times one command runs again after its pod was evicted, preempted or lost with its node. */
    static final int MAX_RESCHEDULES = 3;

    private final KubernetesClient client;
    private final String namespace;
    private final Spec.Kubernetes settings;
    private final KubernetesExecutor.Resources resources;
    private final Transfers transfers;
    private final JobRate rate;
    private final Path workspace;
    private final Path runDir;
    private final SessionConfig config;
    private final Masks masks;
    private final long logLimit;
    private final Consumer<KubernetesExecutor.JobTimes> timings;
    private final Map<String, TrialJob> jobs = new ConcurrentHashMap<>();
    private final Map<ProcessRequest, TrialJob> byRequest = Collections.synchronizedMap(new IdentityHashMap<>());
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong cancellations = new AtomicLong();
    private final SharedIndexInformer<Job> jobInformer;
    private final SharedIndexInformer<Pod> podInformer;
    /** The run's Jobs a Hone that died left, by trial number: adopted when the resumed run runs that trial. */
    private final Map<String, Job> leftovers = new ConcurrentHashMap<>();
    private volatile SessionEvents events = SessionEvents.NONE;
    /** Why the cluster could not pull the run's image, once it said so: every later command fails the same way. */
    private volatile ProcessResult imageNotPulled;
    private volatile boolean closed;

    KubernetesSession(KubernetesClient client, String namespace, Spec.Kubernetes settings,
                      KubernetesExecutor.Resources resources, Transfers transfers, JobRate rate, Path workspace,
                      SessionConfig config, long logLimit,
                      Consumer<KubernetesExecutor.JobTimes> timings) {
        this.rate = rate;
        this.timings = timings;
        this.client = client;
        this.namespace = namespace;
        this.settings = settings;
        this.resources = resources;
        this.transfers = transfers;
        this.workspace = workspace;
        this.runDir = workspace.getParent();
        this.config = config;
        this.masks = config.masks();
        this.logLimit = logLimit;
        String run = JobManifests.labelValue(config.runId());
        jobInformer = client.batch().v1().jobs().inNamespace(namespace).withLabel(JobManifests.RUN_LABEL, run)
                .inform(handler(this::onJob));
        podInformer = client.pods().inNamespace(namespace).withLabel(JobManifests.RUN_LABEL, run)
                .inform(handler(this::onPod));
        for (Job left : jobInformer.getStore().list()) {
            String trial = left.getMetadata().getLabels().get(JobManifests.TRIAL_LABEL);
            leftovers.put(trial != null ? trial : left.getMetadata().getName(), left);
        }
    }

    @Override
    public void watch(SessionEvents events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public ProcessResult run(ProcessRequest request) {
        Objects.requireNonNull(request, "request");
        long start = System.nanoTime();
        if (closed) {
            return new ProcessResult(Ending.FAILED_TO_START, -1, Duration.ZERO, List.of(),
                    "the session is closed: the run was cancelled or has ended");
        }
        ProcessResult pullFailure = imageNotPulled;
        if (pullFailure != null) {
            return new ProcessResult(Ending.FAILED_TO_START, -1, Duration.ZERO, List.of(), pullFailure.detail());
        }
        long cancellationsBefore = cancellations.get();
        Writer logFile;
        try {
            logFile = request.logFile() == null ? null : OutputLines.openLog(request.logFile(), false, logLimit);
        } catch (IOException e) {
            return new ProcessResult(Ending.FAILED_TO_START, -1, Duration.ZERO, List.of(),
                    "cannot write the log file " + request.logFile() + ": " + e);
        }
        try (OutputLines lines = new OutputLines(logFile, request.onLine(), masks)) {
            String trial = request.env() == null ? null : request.env().get("HONE_TRIAL");
            for (int attempt = 0; ; attempt++) {
                Job left = attempt == 0 && trial != null ? leftovers.remove(trial) : null;
                String adoptedToken = left == null ? null : adoptable(left);
                TrialJob job = new TrialJob(adoptedToken != null ? left.getMetadata().getName()
                        : JobManifests.name(config.runId(), suffix(trial)), request, config.image(), lines);
                TrialJob.Verdict verdict = runOnce(job, cancellationsBefore, adoptedToken);
                if (verdict instanceof TrialJob.Verdict.Rescheduled r && attempt < MAX_RESCHEDULES && !closed) {
                    String why = r.reason() + (r.message() == null ? "" : ": " + r.message());
                    char[] marker = ("--- hone: pod " + r.pod() + " was taken off its node (" + why
                            + "); the command runs again ---\n").toCharArray();
                    lines.accept(marker, 0, marker.length);
                    events.rescheduled(new SessionEvents.Rescheduled(request, r.pod(), why, attempt + 1));
                    continue;
                }
                lines.end();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                if (verdict instanceof TrialJob.Verdict.Rescheduled r) {
                    return new ProcessResult(Ending.KILLED, -1, took, lines.tail(), "killed: pod " + r.pod()
                            + " was taken off its node " + (attempt + 1) + " times (" + r.reason() + ")");
                }
                ProcessResult result = job.result(verdict, took, lines.tail(), resources.memoryText());
                if (verdict instanceof TrialJob.Verdict.ImageNotPulled) {
                    imageNotPulled = result;
                }
                return result;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProcessResult(Ending.KILLED, -1, Duration.ofNanos(System.nanoTime() - start), List.of(),
                    "killed: interrupted");
        }
    }

    /**
     * Runs {@code job}: creates it, or, with {@code adoptedToken} (the token its pod holds; "" with a claim), adopts
     * the Job of that name a Hone that stopped left.
     */
    private TrialJob.Verdict runOnce(TrialJob job, long cancellationsBefore, String adoptedToken)
            throws InterruptedException {
        ProcessRequest request = job.request;
        String token = null;
        jobs.put(job.name, job);
        byRequest.put(request, job);
        try {
            if (adoptedToken != null) {
                token = adoptedToken.isEmpty() ? null : transfers.grant(grant(request), adoptedToken);
                LOG.info("run {} adopts Job {}, left by a Hone that stopped", config.runId(), job.name);
                adopt(job);
            } else {
                String url = null;
                if (settings.volume() == null) {
                    token = transfers.grant(grant(request));
                    url = transfers.url();
                }
                JobManifests.Pod pod = pod(job.name, namespace, config, request, workspace, settings, resources,
                        url, token);
                try {
                    create(pod);
                    job.created = Instant.now();
                } catch (KubernetesClientException e) {
                    return new TrialJob.Verdict.Stopped(Ending.FAILED_TO_START, "the Kubernetes API refused Job "
                            + job.name + " in namespace " + namespace + ": " + apiMessage(e));
                }
            }
            if (closed || cancellations.get() != cancellationsBefore) {
                job.stop(Ending.KILLED, "killed: run cancelled");
            }
            TrialJob.Verdict verdict = job.await(request.timeout() == null ? null
                    : request.timeout().plus(DEADLINE_MARGIN));
            if (verdict == null) {
                job.stop(Ending.TIMED_OUT, "timed out after " + Durations.format(request.timeout())
                        + " (the cluster never reported the Job's deadline)");
                verdict = job.await(Duration.ZERO);
            }
            PodLog log = job.log();
            if (log != null && verdict instanceof TrialJob.Verdict.Exited) {
                log.awaitEnd(LOG_DRAIN); // the container has ended: its output is on its way
            }
            delete(job);
            if (log != null) {
                log.close();
                log.awaitEnd(LOG_DRAIN);
            }
            if (verdict instanceof TrialJob.Verdict.Exited) {
                job.times().ifPresent(timings);
            }
            return verdict;
        } finally {
            if (job.log() != null) {
                job.log().close();
            }
            transfers.revoke(token);
            byRequest.remove(request);
            synchronized (jobs) {
                jobs.remove(job.name);
                jobs.notifyAll();
            }
        }
    }

    /** The pod of {@code request}: its variables, those that go in the Secret, its labels and resources. */
    static JobManifests.Pod pod(String name, String namespace, SessionConfig config, ProcessRequest request,
                                Path workspace, Spec.Kubernetes settings, KubernetesExecutor.Resources resources,
                                String transferUrl, String token) {
        Path runDir = workspace.getParent();
        Map<String, String> env = new LinkedHashMap<>();
        putAll(env, config.env());
        putAll(env, request.env());
        env.put("HONE_COMMAND", request.command());
        env.put("HONE_RUN_DIR", runDir.toString());
        env.put("HONE_WORKSPACE", workspace.toString());
        List<String> secretEnv = new ArrayList<>();
        if (transferUrl != null) {
            env.put("HONE_TRANSFER_URL", transferUrl);
            env.put("HONE_TRANSFER_TOKEN", token);
            secretEnv.add("HONE_TRANSFER_TOKEN");
        }
        Masks masks = config.masks();
        env.forEach((variable, value) -> {
            if (!masks.isEmpty() && !masks.apply(value).equals(value)) {
                secretEnv.add(variable);
            }
        });
        String trial = request.env() == null ? null : request.env().get("HONE_TRIAL");
        String claimPath = settings.volume() == null ? null
                : runDir.getParent().getParent().relativize(runDir).toString();
        return new JobManifests.Pod(name, namespace,
                JobManifests.labels(config.runId(), config.project(), trial, settings.labels()),
                config.image(), env, secretEnv, request.timeout(), resources.cpus(), resources.memoryBytes(),
                resources.gpus(), runDir, claimPath);
    }

    /** The Secret and the Job of {@code request} as YAML, every secret value shown as {@value Masks#MASK}. */
    static String dryRun(Path workspace, SessionConfig config, ProcessRequest request, String namespace,
                         Spec.Kubernetes settings, KubernetesExecutor.Resources resources) {
        String trial = request.env() == null ? null : request.env().get("HONE_TRIAL");
        String name = JobManifests.name(config.runId(), trial == null ? "c1" : "t" + trial);
        JobManifests.Pod pod = pod(name, namespace, config, request, workspace, settings, resources,
                settings.volume() == null ? "http://HONE_KUBERNETES_URL" : null, Masks.MASK);
        Map<String, String> shown = new LinkedHashMap<>(pod.env());
        pod.secretEnv().forEach(variable -> shown.put(variable, Masks.MASK));
        JobManifests.Pod masked = new JobManifests.Pod(pod.name(), pod.namespace(), pod.labels(), pod.image(), shown,
                pod.secretEnv(), pod.timeout(), pod.cpus(), pod.memoryBytes(), pod.gpus(), pod.runDir(),
                pod.claimPath());
        return KubernetesExecutor.yaml(JobManifests.secret(masked)) + KubernetesExecutor.yaml(
                JobManifests.job(masked, settings));
    }

    private void create(JobManifests.Pod pod) throws InterruptedException {
        var secrets = client.secrets().inNamespace(namespace);
        secrets.resource(JobManifests.secret(pod)).create();
        Job created;
        try {
            rate.acquire();
            created = client.batch().v1().jobs().inNamespace(namespace)
                    .resource(JobManifests.job(pod, settings)).create();
        } catch (KubernetesClientException | InterruptedException e) {
            secrets.withName(pod.name()).delete();
            throw e;
        }
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withName(created.getMetadata().getName()).withUid(created.getMetadata().getUid())
                .withBlockOwnerDeletion(true).withController(false).build();
        secrets.withName(pod.name()).edit(s -> {
            s.getMetadata().setOwnerReferences(List.of(owner));
            return s;
        });
    }

    /**
     * Whether a left Job can be adopted: its pod reaches this Hone's transfer endpoint (the same
     * {@code HONE_KUBERNETES_URL}) or uses the claim. Returns the token its pod holds ("" with a claim), or null
     * when it cannot be adopted, after deleting it: the trial then runs in a new Job.
     */
    private String adoptable(Job left) {
        String name = left.getMetadata().getName();
        if (settings.volume() != null) {
            return "";
        }
        String url = left.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getName().equals("HONE_TRANSFER_URL")).map(e -> e.getValue()).findFirst()
                .orElse(null);
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        String token = secret == null || secret.getData() == null ? null : secret.getData().get("HONE_TRANSFER_TOKEN");
        if (url != null && url.equals(transfers.url()) && token != null) {
            return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        }
        LOG.info("run {}: Job {} of a Hone that stopped sends its output to {}, not to this Hone ({}); it is"
                + " deleted and its trial runs again", config.runId(), name, url, transfers.url());
        deleteQuietly(name);
        return null;
    }

    /** Tells {@code job} what the API already says of its Job and pods, as if it had watched them start. */
    private void adopt(TrialJob job) {
        jobInformer.getStore().list().stream().filter(j -> j.getMetadata().getName().equals(job.name))
                .forEach(j -> job.observe(j, false));
        podInformer.getStore().list().forEach(pod -> onPod(pod, false));
    }

    private void deleteQuietly(String name) {
        try {
            client.batch().v1().jobs().inNamespace(namespace).withName(name)
                    .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
            client.secrets().inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            LOG.warn("cannot delete Job {} in namespace {}: {}", name, namespace, apiMessage(e));
        }
    }

    /** Deletes the Job (foreground: its pods first) and its Secret, and waits until they are gone. */
    private void delete(TrialJob job) throws InterruptedException {
        try {
            client.batch().v1().jobs().inNamespace(namespace).withName(job.name)
                    .withPropagationPolicy(DeletionPropagation.FOREGROUND)
                    .delete();
            client.secrets().inNamespace(namespace).withName(job.name).delete();
        } catch (KubernetesClientException e) {
            LOG.warn("cannot delete Job {} in namespace {}: {}", job.name, namespace, apiMessage(e));
            return;
        }
        if (!job.awaitGone(DELETE_BOUND)) {
            LOG.warn("Job {} in namespace {} still has pods {} after it was deleted", job.name, namespace,
                    DELETE_BOUND);
        }
    }

    /** What the command's token may fetch and send back, relative to the run directory. */
    private Transfers.Grant grant(ProcessRequest request) {
        List<String> in = new ArrayList<>(List.of(runDir.relativize(workspace).toString()));
        List<String> out = new ArrayList<>(in);
        if (request.env() != null) {
            request.env().forEach((name, value) -> {
                Path path = value == null || !value.startsWith("/") ? null : Path.of(value).normalize();
                if (path != null && path.startsWith(runDir) && !path.equals(runDir) && !path.startsWith(workspace)) {
                    String relative = runDir.relativize(path).toString();
                    if (name.equals("HONE_OUTPUT")) {
                        out.add(relative);
                    } else if (Files.isRegularFile(path)) {
                        in.add(relative);
                    }
                }
            });
        }
        return new Transfers.Grant(runDir, in, out);
    }

    private String suffix(String trial) {
        String random = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
        return (trial == null ? "c" + commands.incrementAndGet() : "t" + trial) + "-" + random;
    }

    @Override
    public void cancel(ProcessRequest request) {
        TrialJob job = byRequest.get(request);
        if (job != null) {
            job.stop(Ending.KILLED, "killed: stopped early");
        }
    }

    @Override
    public void cancelAll() {
        cancellations.incrementAndGet();
        for (TrialJob job : jobs.values()) {
            job.stop(Ending.KILLED, "killed: run cancelled");
        }
    }

    @Override
    public void close() {
        closed = true;
        cancelAll();
        long deadline = System.nanoTime() + DELETE_BOUND.plus(LOG_DRAIN).toNanos();
        synchronized (jobs) {
            try {
                for (long left; !jobs.isEmpty() && (left = deadline - System.nanoTime()) > 0; ) {
                    jobs.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leftovers.values().forEach(left -> deleteQuietly(left.getMetadata().getName()));
        leftovers.clear();
        jobInformer.close();
        podInformer.close();
    }

    private void onJob(Job job, boolean deleted) {
        TrialJob trial = jobs.get(job.getMetadata().getName());
        if (trial != null) {
            trial.observe(job, deleted);
        }
    }

    private void onPod(Pod pod, boolean deleted) {
        String owner = pod.getMetadata().getOwnerReferences() == null ? null
                : pod.getMetadata().getOwnerReferences().stream().filter(o -> "Job".equals(o.getKind()))
                        .map(OwnerReference::getName).findFirst().orElse(null);
        TrialJob trial = owner == null ? null : jobs.get(owner);
        if (trial != null) {
            trial.observe(pod, deleted, name -> PodLog.follow(client, namespace, name, trial.lines));
        }
    }

    private interface Change<T> {
        void on(T resource, boolean deleted);
    }

    private static <T> ResourceEventHandler<T> handler(Change<T> change) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T resource) {
                change.on(resource, false);
            }

            @Override
            public void onUpdate(T before, T now) {
                change.on(now, false);
            }

            @Override
            public void onDelete(T resource, boolean finalStateUnknown) {
                change.on(resource, true);
            }
        };
    }

    static String apiMessage(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getMessage();
    }

    private static void putAll(Map<String, String> target, Map<String, String> source) {
        if (source != null) {
            source.forEach((name, value) -> {
                if (name != null && value != null) {
                    target.put(name, value);
                }
            });
        }
    }
}
