package dev.hone.exec.kubernetes;

import dev.hone.spec.Spec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The manifests of one command's pod: a {@code batch/v1} Job (the run's image, the resources as requests and limits,
 * {@code backoffLimit: 0} since Hone decides retries, {@code activeDeadlineSeconds} from the timeout, labels
 * {@code hone.run}/{@code hone.project}/{@code hone.trial}, no service account token, non-root, no privilege
 * escalation, every capability dropped) and the Secret that holds what must not be in the pod spec in clear: the
 * transfer token and every variable whose value holds one of the session's secrets.
 */
final class JobManifests {

    static final String RUN_LABEL = "hone.run";
    static final String PROJECT_LABEL = "hone.project";
    static final String TRIAL_LABEL = "hone.trial";
    static final String CONTAINER = "trial";
    static final String GPU_RESOURCE = "nvidia.com/gpu";
    /** How long the cluster keeps a finished Job Hone did not delete (Hone deletes each one it sees end). */
    static final int TTL_AFTER_FINISHED = 600;
    /** The pods' user and group: any but root (images need not declare one). */
    static final long USER = 1000;
    static final String POD_SCRIPT = script();

    /** What a command's Job is made of; {@code secretEnv}: the names whose values go in the Secret. */
    record Pod(String name, String namespace, Map<String, String> labels, String image, Map<String, String> env,
               List<String> secretEnv, Duration timeout, Double cpus, Long memoryBytes, int gpus, Path runDir,
               String claimPath) {}

    private JobManifests() {}

    /** {@code hone.*} labels and the user's: on the Job, its pod and its Secret. */
    static Map<String, String> labels(String runId, String project, String trial, Map<String, String> own) {
        Map<String, String> labels = new LinkedHashMap<>(own);
        labels.put(RUN_LABEL, labelValue(runId));
        labels.put(PROJECT_LABEL, labelValue(project));
        if (trial != null) {
            labels.put(TRIAL_LABEL, labelValue(trial));
        }
        return labels;
    }

    /** {@code text} as a label value: at most 63 letters, digits, {@code -_.}, alphanumeric at both ends. */
    static String labelValue(String text) {
        String v = text == null ? "" : text.replaceAll("[^A-Za-z0-9_.-]", "-");
        v = v.length() > 63 ? v.substring(0, 63) : v;
        return v.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    }

    static Job job(Pod pod, Spec.Kubernetes settings) {
        Map<String, String> clear = new LinkedHashMap<>(pod.env());
        pod.secretEnv().forEach(clear::remove);
        List<EnvVar> env = new ArrayList<>();
        clear.forEach((name, value) -> env.add(new EnvVar(name, value, null)));
        Map<String, Quantity> resources = new LinkedHashMap<>();
        if (pod.cpus() != null) {
            resources.put("cpu", new Quantity(Long.toString(Math.round(Math.ceil(pod.cpus() * 1000))) + "m"));
        }
        if (pod.memoryBytes() != null) {
            resources.put("memory", new Quantity(Long.toString(pod.memoryBytes())));
        }
        if (pod.gpus() > 0) {
            resources.put(GPU_RESOURCE, new Quantity(Integer.toString(pod.gpus())));
        }
        String runDir = pod.runDir().toString();
        Container container = new ContainerBuilder()
                .withName(CONTAINER).withImage(pod.image())
                .withCommand("python3", "-c", POD_SCRIPT)
                .withEnv(env)
                .addNewEnvFrom().withNewSecretRef().withName(pod.name()).endSecretRef().endEnvFrom()
                .withNewResources().withRequests(resources).withLimits(resources).endResources()
                .withNewSecurityContext()
                    .withRunAsNonRoot(true).withAllowPrivilegeEscalation(false).withPrivileged(false)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewVolumeMount().withName("run").withMountPath(runDir).withSubPath(pod.claimPath())
                .endVolumeMount()
                .build();
        Volume run = pod.claimPath() == null
                ? new VolumeBuilder().withName("run").withNewEmptyDir().endEmptyDir().build()
                : new VolumeBuilder().withName("run").withNewPersistentVolumeClaim()
                        .withClaimName(settings.volume()).endPersistentVolumeClaim().build();
        List<Toleration> tolerations = settings.tolerations().stream()
                .map(t -> new Toleration(t.effect(), t.key(), t.operator(), null, t.value())).toList();
        List<LocalObjectReference> pullSecrets = settings.imagePullSecrets().stream()
                .map(LocalObjectReference::new).toList();
        return new JobBuilder()
                .withNewMetadata().withName(pod.name()).withNamespace(pod.namespace()).withLabels(pod.labels())
                .endMetadata()
                .withNewSpec()
                    .withBackoffLimit(0)
                    .withActiveDeadlineSeconds(pod.timeout() == null ? null : deadlineSeconds(pod.timeout()))
                    .withTtlSecondsAfterFinished(TTL_AFTER_FINISHED)
                    .withNewTemplate()
                        .withNewMetadata().withLabels(pod.labels()).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withServiceAccountName(settings.serviceAccount())
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .withNodeSelector(settings.nodeSelector().isEmpty() ? null : settings.nodeSelector())
                            .withTolerations(tolerations.isEmpty() ? null : tolerations)
                            .withImagePullSecrets(pullSecrets.isEmpty() ? null : pullSecrets)
                            .withNewSecurityContext()
                                .withRunAsNonRoot(true).withRunAsUser(USER).withRunAsGroup(USER).withFsGroup(USER)
                            .endSecurityContext()
                            .withContainers(container)
                            .withVolumes(run)
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** The Secret the Job's pod takes its secret variables from ({@code envFrom}); owned by the Job once it exists. */
    static Secret secret(Pod pod) {
        Map<String, String> data = new LinkedHashMap<>();
        pod.secretEnv().forEach(name -> data.put(name, Base64.getEncoder().encodeToString(
                pod.env().get(name).getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder()
                .withNewMetadata().withName(pod.name()).withNamespace(pod.namespace()).withLabels(pod.labels())
                .endMetadata()
                .withType("Opaque")
                .withData(data)
                .build();
    }

    /** A timeout as whole seconds, rounded up: the API takes no fraction. */
    static long deadlineSeconds(Duration timeout) {
        return Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    /** A Job name: a DNS label of at most 63 characters ({@code hone-RUN-SUFFIX}). */
    static String name(String runId, String suffix) {
        String run = runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        String tail = "-" + suffix;
        int room = 63 - "hone-".length() - tail.length();
        run = run.length() > room ? run.substring(0, room).replaceAll("-+$", "") : run;
        return "hone-" + run + tail;
    }

    private static String script() {
        try (InputStream in = JobManifests.class.getResourceAsStream("pod.py")) {
            if (in == null) {
                throw new IllegalStateException("dev/hone/exec/kubernetes/pod.py is missing from Hone's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
