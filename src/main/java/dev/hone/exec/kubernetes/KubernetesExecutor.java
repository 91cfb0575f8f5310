package dev.hone.exec.kubernetes;

import dev.hone.error.EnvironmentException;
import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.SessionConfig;
import dev.hone.spec.Spec;
import dev.hone.time.Sleeper;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Each command of a run as a {@code batch/v1} Job in a Kubernetes cluster (fabric8's client; the cluster from the
 * usual kubeconfig, or the pod's own service account inside one). Without a shared volume the pod fetches its part
 * of the run directory from Hone over HTTP with a token of its own and sends its output and workspace edits back
 * ({@link Transfers}); with {@code environment.kubernetes.volume} the run directory is on a ReadWriteMany claim
 * mounted at the same path. The session's secrets and the token go in a Secret owned by the Job, never in the pod
 * spec. States come from informers on the run's Jobs and pods; logs from the pod's log stream.
 *
 * <p>Tested against fabric8's mock API server and a stand-in kubelet (the tests' {@code StandInKubelet}), not
 * against a real cluster.
 */
public final class KubernetesExecutor implements Executor {

    /** Where the transfer endpoint listens unless {@code HONE_KUBERNETES_LISTEN} says otherwise. */
    public static final String DEFAULT_LISTEN = "127.0.0.1:0";

    /** What each pod asks of the cluster: requests and limits alike. */
    record Resources(Double cpus, Long memoryBytes, int gpus) {
        String memoryText() {
            return memoryBytes == null ? "no memory limit" : "limit " + (memoryBytes >> 20) + " MiB";
        }
    }

    /**
     * One Job's times, for {@code hone bench kubernetes}: when Hone's request to create it returned, and when its
     * container started and finished as the API reports them (a real cluster reports whole seconds).
     */
    public record JobTimes(String job, Instant created, Instant containerStarted, Instant containerFinished) {
        public Duration containerTime() {
            return Duration.between(containerStarted, containerFinished);
        }
    }

    private final Cluster cluster;
    private final Spec.Kubernetes settings;
    private final int gpus;
    private final long logLimit;
    private final Consumer<JobTimes> timings;

    /** The cluster and the endpoint pods reach Hone at, shared by every run of an installation. */
    private static final class Cluster {
        private final Supplier<KubernetesClient> connect;
        private final Transfers transfers;
        private final JobRate rate;
        private KubernetesClient client;

        Cluster(Supplier<KubernetesClient> connect, Transfers transfers, JobRate rate) {
            this.connect = connect;
            this.transfers = transfers;
            this.rate = rate;
        }

        synchronized KubernetesClient client() {
            if (client == null) {
                try {
                    client = connect.get();
                } catch (KubernetesClientException e) {
                    throw new EnvironmentException("cannot reach a Kubernetes cluster: " + e.getMessage()
                            + " — Hone reads the cluster from ~/.kube/config (or KUBECONFIG), or from the pod's"
                            + " service account inside a cluster");
                }
            }
            return client;
        }
    }

    /**
     * An executor for the cluster of the usual kubeconfig. {@code HONE_KUBERNETES_LISTEN} (HOST:PORT, default
     * {@value #DEFAULT_LISTEN}) is where the transfer endpoint listens, {@code HONE_KUBERNETES_URL} the URL pods
     * reach it at (default: http://HOST:PORT), {@code HONE_KUBERNETES_JOBS_PER_SECOND} how many Jobs Hone creates
     * per second at most (default 10).
     */
    public static KubernetesExecutor fromEnvironment(Map<String, String> env, long logLimit) {
        String listen = env.getOrDefault("HONE_KUBERNETES_LISTEN", DEFAULT_LISTEN);
        int colon = listen.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            port = -1;
        }
        if (colon <= 0 || port < 0 || port > 65535) {
            throw new EnvironmentException("HONE_KUBERNETES_LISTEN must be HOST:PORT (port 0: any free one), got "
                    + listen);
        }
        String rate = env.getOrDefault("HONE_KUBERNETES_JOBS_PER_SECOND",
                Double.toString(JobRate.DEFAULT_PER_SECOND));
        double perSecond;
        try {
            perSecond = Double.parseDouble(rate);
        } catch (NumberFormatException e) {
            perSecond = Double.NaN;
        }
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new EnvironmentException("HONE_KUBERNETES_JOBS_PER_SECOND must be a number greater than 0, got "
                    + rate);
        }
        return new KubernetesExecutor(() -> new KubernetesClientBuilder().withConfig(config(env)).build(),
                listen.substring(0, colon), port, env.get("HONE_KUBERNETES_URL"), perSecond, logLimit);
    }

    /**
     * The cluster's access as kubectl finds it: the first file of {@code KUBECONFIG}, else {@code ~/.kube/config},
     * else the pod's service account inside a cluster.
     */
    static Config config(Map<String, String> env) {
        String kubeconfig = env.get("KUBECONFIG");
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            File file = new File(kubeconfig.split(File.pathSeparator)[0]);
            if (!file.isFile()) {
                throw new EnvironmentException("KUBECONFIG names " + file + ", which is not a file: point it at"
                        + " your kubeconfig");
            }
            return Config.fromKubeconfig(file);
        }
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".kube", "config");
        if (Files.isRegularFile(home)) {
            return Config.fromKubeconfig(home.toFile());
        }
        if (env.containsKey("KUBERNETES_SERVICE_HOST")) {
            return Config.autoConfigure(null);
        }
        throw new EnvironmentException("no Kubernetes cluster: set KUBECONFIG or run inside a cluster");
    }

    /**
     * @param connect    the client of the cluster, made at the first run that needs it
     * @param host       where the transfer endpoint listens
     * @param port       its port; 0: any free one
     * @param url        the URL pods reach it at; null: http://HOST:PORT
     * @param perSecond  how many Jobs it creates per second at most, over all its runs
     * @param logLimit   the most a command's log file holds
     */
    public KubernetesExecutor(Supplier<KubernetesClient> connect, String host, int port, String url, double perSecond,
                              long logLimit) {
        this(new Cluster(connect, new Transfers(new Transfers.Address(host, port, url)),
                new JobRate(perSecond, InstantSource.system(), Sleeper.system())), Spec.Kubernetes.DEFAULT, 0, logLimit,
                times -> {});
    }

    private KubernetesExecutor(Cluster cluster, Spec.Kubernetes settings, int gpus, long logLimit,
                               Consumer<JobTimes> timings) {
        this.cluster = cluster;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.gpus = gpus;
        this.logLimit = logLimit;
        this.timings = Objects.requireNonNull(timings, "timings");
    }

    /** This executor with a run's {@code environment.kubernetes} and GPUs per trial; the same cluster. */
    public KubernetesExecutor configured(Spec.Kubernetes settings, int gpus) {
        return new KubernetesExecutor(cluster, settings, gpus, logLimit, timings);
    }

    /** This executor telling {@code timings} the times of each Job whose container ran to its end. */
    public KubernetesExecutor timed(Consumer<JobTimes> timings) {
        return new KubernetesExecutor(cluster, settings, gpus, logLimit, timings);
    }

    /**
     * Asks the cluster for one Job of the namespace (a verb Hone's Role grants) and says where it is:
     * "namespace NS at URL"; an {@link EnvironmentException} saying what when it does not answer.
     */
    public String reach() {
        KubernetesClient client = cluster.client();
        String namespace = namespace(client);
        try {
            client.batch().v1().jobs().inNamespace(namespace).list(new ListOptionsBuilder().withLimit(1L).build());
        } catch (KubernetesClientException e) {
            throw new EnvironmentException("no Kubernetes cluster answers at " + client.getMasterUrl() + " (namespace "
                    + namespace + "): " + KubernetesSession.apiMessage(e) + " — check KUBECONFIG (or"
                    + " ~/.kube/config) and that the cluster is up, or run inside a cluster");
        }
        return "namespace " + namespace + " at " + client.getMasterUrl();
    }

    @Override
    public String kind() {
        return "kubernetes";
    }

    @Override
    public Session open(Path workspace, SessionConfig config) {
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(config, "config");
        if (config.image() == null || config.image().equals("auto")) {
            throw new EnvironmentException("the kubernetes executor needs an image the cluster can pull: name it"
                    + " in environment.image");
        }
        KubernetesClient client = cluster.client();
        try {
            return new KubernetesSession(client, namespace(client), settings, resources(config), cluster.transfers,
                    cluster.rate, workspace.toAbsolutePath().normalize(), config, logLimit, timings);
        } catch (KubernetesClientException e) {
            throw new EnvironmentException("cannot watch the Jobs of namespace " + namespace(client) + ": "
                    + KubernetesSession.apiMessage(e) + " — the service account needs the Role of"
                    + " deploy/kubernetes/role.yaml");
        }
    }

    /**
     * The manifests this executor would create for {@code request} (the Secret, then the Job), as YAML, without
     * contacting the cluster: the transfer token and the secret values are shown as {@code ***}, and a Job without
     * {@code environment.kubernetes.namespace} has none (the kubeconfig's applies).
     */
    @Override
    public Optional<String> dryRun(Path workspace, SessionConfig config, ProcessRequest request) {
        return Optional.of(KubernetesSession.dryRun(workspace.toAbsolutePath().normalize(), config, request,
                settings.namespace(), settings, resources(config)));
    }

    private String namespace(KubernetesClient client) {
        if (settings.namespace() != null) {
            return settings.namespace();
        }
        return client.getNamespace() != null ? client.getNamespace() : "default";
    }

    private Resources resources(SessionConfig config) {
        return new Resources(config.cpus(), config.memoryBytes(), gpus);
    }

    /** The YAML of a manifest, as kubectl would read it. */
    static String yaml(Object manifest) {
        return Serialization.asYaml(manifest);
    }
}
