package dev.hone.exec.kubernetes;

import dev.hone.exec.OutputLines;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.ProcessResult.Ending;
import dev.hone.exec.ShellErrors;
import dev.hone.time.Durations;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One attempt of a command as a Job: what the API says of the Job and its pod, told by the session's informers,
 * becomes how the command ended. Job complete → exited 0; failed with {@code DeadlineExceeded} → timed out; the
 * container {@code OOMKilled} → out of memory; failed otherwise → the container's exit code; the pod evicted,
 * preempted or its node lost → {@link Verdict.Rescheduled}; the image not pulled → failed to start at once.
 */
final class TrialJob {

    /** How long the API may take to report the pod's end once the Job's is known. */
    static final Duration POD_REPORT_GRACE = Duration.ofSeconds(5);
    private static final Set<String> IMAGE_PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff",
            "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable");
    private static final Set<String> DISRUPTIONS = Set.of("Evicted", "Preempting", "NodeLost", "Shutdown",
            "Terminated", "UnexpectedAdmissionError", "NodeAffinity");

    /** How an attempt ended. */
    sealed interface Verdict {
        record Exited(int exitCode, boolean oomKilled) implements Verdict {}

        record DeadlineExceeded() implements Verdict {}

        record ImageNotPulled(String reason, String message) implements Verdict {}

        record Rescheduled(String pod, String reason, String message) implements Verdict {}

        record Stopped(Ending ending, String detail) implements Verdict {}
    }

    final String name;
    final ProcessRequest request;
    /** Where every attempt's pod log goes. */
    final OutputLines lines;
    private final String image;
    private final CompletableFuture<Verdict> verdict = new CompletableFuture<>();
    private final CompletableFuture<Void> gone = new CompletableFuture<>();
    private final Set<String> livePods = ConcurrentHashMap.newKeySet();
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    private volatile Job job;
    private volatile boolean jobDeleted;
    private volatile String followed;
    private volatile PodLog log;
    /** When Hone's request to create the Job returned; null: adopted. */
    volatile Instant created;
    /** The container's end as the API last reported it (a deleted pod's last state included); null: not yet. */
    private volatile ContainerStateTerminated terminated;

    TrialJob(String name, ProcessRequest request, String image, OutputLines lines) {
        this.name = name;
        this.request = request;
        this.image = image;
        this.lines = lines;
    }

    /** The Job as the API has it now; null: deleted. */
    synchronized void observe(Job now, boolean deleted) {
        if (deleted) {
            jobDeleted = true;
            checkGone();
            return;
        }
        job = now;
        evaluate();
    }

    /** The pod as the API has it now; null status: deleted. */
    synchronized void observe(Pod pod, boolean deleted, LogStarter logs) {
        String podName = pod.getMetadata().getName();
        ContainerStatus last = container(pod);
        if (last != null && last.getState() != null && last.getState().getTerminated() != null) {
            terminated = last.getState().getTerminated();
        }
        if (deleted) {
            livePods.remove(podName);
            checkGone();
            return;
        }
        livePods.add(podName);
        pods.put(podName, pod);
        ContainerStatus status = container(pod);
        if (followed == null && status != null && status.getState() != null
                && (status.getState().getRunning() != null || status.getState().getTerminated() != null)) {
            followed = podName;
            log = logs.follow(podName);
        }
        evaluate();
    }

    /** Ends the attempt from Hone's side (cancel, early stopping, Hone's own timeout). */
    void stop(Ending ending, String detail) {
        verdict.complete(new Verdict.Stopped(ending, detail));
    }

    /** What ended the attempt, once it has; at most {@code bound} (null: no bound), else null. */
    Verdict await(Duration bound) throws InterruptedException {
        try {
            return bound == null ? verdict.get() : verdict.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the verdict cannot fail", e);
        }
    }

    /** Waits, at most {@code bound}, until the Job and every pod of it are gone from the API; false when not. */
    boolean awaitGone(Duration bound) throws InterruptedException {
        try {
            gone.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    PodLog log() {
        return log;
    }

    /**
     * The Job's times, once the API has reported when its container started and finished (by the time the Job is
     * gone, the pod's last state has been seen).
     */
    Optional<KubernetesExecutor.JobTimes> times() {
        ContainerStateTerminated terminated = this.terminated;
        if (created == null || terminated == null || terminated.getStartedAt() == null
                || terminated.getFinishedAt() == null) {
            return Optional.empty();
        }
        return Optional.of(new KubernetesExecutor.JobTimes(name, created, Instant.parse(terminated.getStartedAt()),
                Instant.parse(terminated.getFinishedAt())));
    }

    /** Reconsiders the attempt after a change; also called once {@link #POD_REPORT_GRACE} after the Job ended. */
    synchronized void evaluate() {
        if (verdict.isDone()) {
            return;
        }
        for (Pod pod : pods.values()) {
            ContainerStatus status = container(pod);
            ContainerStateWaiting waiting = status == null || status.getState() == null ? null
                    : status.getState().getWaiting();
            if (waiting != null && IMAGE_PULL_FAILURES.contains(waiting.getReason())) {
                verdict.complete(new Verdict.ImageNotPulled(waiting.getReason(), waiting.getMessage()));
                return;
            }
            String disruption = disruption(pod);
            if (disruption != null) {
                verdict.complete(new Verdict.Rescheduled(pod.getMetadata().getName(), disruption,
                        pod.getStatus().getMessage()));
                return;
            }
        }
        JobCondition ended = job == null || job.getStatus() == null || job.getStatus().getConditions() == null ? null
                : job.getStatus().getConditions().stream()
                        .filter(c -> "True".equals(c.getStatus()))
                        .filter(c -> c.getType().equals("Complete") || c.getType().equals("Failed"))
                        .findFirst().orElse(null);
        if (ended == null) {
            return;
        }
        if (ended.getType().equals("Failed") && "DeadlineExceeded".equals(ended.getReason())) {
            verdict.complete(new Verdict.DeadlineExceeded());
            return;
        }
        ContainerStateTerminated terminated = pods.values().stream().map(TrialJob::container)
                .filter(s -> s != null && s.getState() != null && s.getState().getTerminated() != null)
                .map(s -> s.getState().getTerminated()).findFirst().orElse(null);
        if (terminated != null) {
            verdict.complete(new Verdict.Exited(terminated.getExitCode(), "OOMKilled".equals(terminated.getReason())));
        } else if (ended.getType().equals("Complete")) {
            verdict.complete(new Verdict.Exited(0, false));
        } else {
            CompletableFuture.delayedExecutor(POD_REPORT_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                synchronized (this) {
                    verdict.complete(new Verdict.Exited(-1, false));
                }
            });
        }
    }

    /** The result of an attempt that did not end in a reschedule. */
    ProcessResult result(Verdict v, Duration duration, List<String> tail, String memoryLimit) {
        return switch (v) {
            case Verdict.Exited e when e.oomKilled() -> new ProcessResult(Ending.OOM_KILLED, -1, duration, tail,
                    "killed: out of memory (" + memoryLimit + ")");
            case Verdict.Exited e -> new ProcessResult(Ending.EXITED, e.exitCode(), duration, tail,
                    e.exitCode() == -1 ? "the Job failed and its pod reported no exit code"
                            : ShellErrors.detail(e.exitCode(), tail));
            case Verdict.DeadlineExceeded d -> new ProcessResult(Ending.TIMED_OUT, -1, duration, tail,
                    "timed out after " + Durations.format(request.timeout()));
            case Verdict.ImageNotPulled i -> new ProcessResult(Ending.FAILED_TO_START, -1, duration, tail,
                    "the cluster cannot pull the image " + image + ": " + i.reason()
                            + (i.message() == null ? "" : " (" + i.message() + ")")
                            + " — push it to a registry the cluster reaches, or name one in environment.image"
                            + " (and environment.kubernetes.image_pull_secrets for a private registry)");
            case Verdict.Stopped s -> new ProcessResult(s.ending(), -1, duration, tail, s.detail());
            case Verdict.Rescheduled r -> throw new IllegalStateException("a rescheduled attempt runs again");
        };
    }

    private void checkGone() {
        if (jobDeleted && livePods.isEmpty()) {
            gone.complete(null);
        }
    }

    /** Why the pod was taken off its node (evicted, preempted, node lost); null when it was not. */
    private static String disruption(Pod pod) {
        if (pod.getStatus() == null || !"Failed".equals(pod.getStatus().getPhase())) {
            return null;
        }
        String reason = pod.getStatus().getReason();
        if (reason != null && DISRUPTIONS.contains(reason)) {
            return reason;
        }
        List<PodCondition> conditions = pod.getStatus().getConditions();
        return conditions == null ? null : conditions.stream()
                .filter(c -> c.getType().equals("DisruptionTarget") && "True".equals(c.getStatus()))
                .map(c -> c.getReason() == null ? "DisruptionTarget" : c.getReason()).findFirst().orElse(null);
    }

    private static ContainerStatus container(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> JobManifests.CONTAINER.equals(s.getName())).findFirst().orElse(null);
    }

    /** Starts following a pod's log. */
    interface LogStarter {
        PodLog follow(String pod);
    }
}
