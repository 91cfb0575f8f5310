package dev.hone.spec;

import dev.hone.run.Notifiable;
import dev.hone.tune.Confirm;
import dev.hone.tune.Constraint;
import dev.hone.tune.Direction;
import dev.hone.tune.Objective;
import dev.hone.tune.EarlyStopping;
import dev.hone.tune.Param;
import dev.hone.tune.Strategy;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A repository's pipeline, as read from {@code hone.yaml} (DESIGN §2). Every part has a default, so
 * {@link #defaults(String)} is the zero-configuration pipeline. {@code null} means "not set" only where the
 * field's comment says so; everything else is filled with its default by the loader.
 */
public record Spec(String name, Train train, Environment environment, Metric metric, Tune tune,
                   Notify notifications, Serve serve, List<DataSource> data) {

    public Spec {
        data = data == null ? List.of() : List.copyOf(data);
    }

    /** A spec that names no data to watch. */
    public Spec(String name, Train train, Environment environment, Metric metric, Tune tune, Notify notifications,
                Serve serve) {
        this(name, train, environment, metric, tune, notifications, serve, List.of());
    }

    /**
     * A source of training data {@code hone serve} watches ({@code data:}): the head of the branch is trained again
     * when its version changes, and each run records the version it trained on.
     */
    public sealed interface DataSource {

        /** The source as written, which a run's versions are keyed by. */
        String label();

        /** A file or a directory on the server, by its absolute path. */
        record File(java.nio.file.Path path) implements DataSource {
            @Override
            public String label() {
                return path.toString();
            }
        }

        /**
         * An http(s) URL. Its label — what runs record, say and show — masks what may be a credential: the user
         * information and the value of every query parameter ({@code ?token=***}).
         */
        record Url(java.net.URI url) implements DataSource {
            @Override
            public String label() {
                StringBuilder s = new StringBuilder(url.getScheme()).append("://");
                if (url.getRawUserInfo() != null) {
                    s.append("***@");
                }
                s.append(url.getRawAuthority() == null ? "" : url.getRawAuthority().substring(
                        url.getRawUserInfo() == null ? 0 : url.getRawUserInfo().length() + 1));
                s.append(url.getRawPath() == null ? "" : url.getRawPath());
                if (url.getRawQuery() != null) {
                    s.append('?').append(url.getRawQuery().replaceAll("=[^&]*", "=***"));
                }
                return s.toString();
            }
        }
    }

    /**
     * {@code command} null: the detected entrypoint. {@code timeout} null: no per-trial timeout. {@code secrets}: the
     * values this spec took from Hone's environment under a name that says secret — in {@code env} (or parts of it),
     * {@code command} or {@code serve.command}; executors mask them in the training's output, and the supervisor in
     * the served model's. {@code toString} masks them.
     */
    public record Train(String command, Duration timeout, Map<String, String> env, Set<String> secrets) {

        public Train {
            secrets = secrets == null ? Set.of() : Set.copyOf(secrets);
        }

        /** No secrets. */
        public Train(String command, Duration timeout, Map<String, String> env) {
            this(command, timeout, env, Set.of());
        }

        @Override
        public String toString() {
            Map<String, String> shown = null;
            if (env != null) {
                shown = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : env.entrySet()) {
                    shown.put(e.getKey(), secrets.contains(e.getValue()) ? Disclosure.MASK : e.getValue());
                }
            }
            return "Train[command=" + command + ", timeout=" + timeout + ", env=" + shown + ", secrets="
                    + Collections.nCopies(secrets.size(), Disclosure.MASK) + "]";
        }
    }

    /**
     * Where training runs: {@code environment.executor}, hone-server.yaml's {@code executor} and {@code hone run
     * --executor} all take these, by {@link #label()}. {@code auto}: Docker when the daemon answers, else local;
     * {@code kubernetes}: each command a Job in a cluster ({@link Kubernetes}); {@code slurm}: each trial a batch job
     * of a Slurm cluster ({@link Slurm}). A new kind is a new constant here and its case where the pipeline chooses
     * the executor.
     */
    public enum Executor {
        AUTO, LOCAL, DOCKER, KUBERNETES, SLURM;

        /** The word hone.yaml and the command line use: the constant's name in lower case. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Network { NONE, BRIDGE }

    /**
     * {@code dockerfile} null: none. {@code cpus} null / {@code memoryBytes} null: unlimited. {@code gpus}: the GPUs
     * each trial is given, distinct from every other running trial's ({@code environment.resources.gpus}; 0: none).
     * {@code slurm}: where the Slurm executor submits ({@code environment.slurm}); {@link Slurm#DEFAULTS} when absent.
     */
    public record Environment(Executor executor, String image, String dockerfile, Double cpus, Long memoryBytes,
                              Network network, int gpus, Kubernetes kubernetes, Slurm slurm) {

        public Environment {
            kubernetes = kubernetes == null ? Kubernetes.DEFAULT : kubernetes;
            slurm = slurm == null ? Slurm.DEFAULTS : slurm;
        }

        /** With the default {@code kubernetes} and {@code slurm} blocks. */
        public Environment(Executor executor, String image, String dockerfile, Double cpus, Long memoryBytes,
                           Network network, int gpus) {
            this(executor, image, dockerfile, cpus, memoryBytes, network, gpus, Kubernetes.DEFAULT, Slurm.DEFAULTS);
        }

        /** With the default {@code slurm} block. */
        public Environment(Executor executor, String image, String dockerfile, Double cpus, Long memoryBytes,
                           Network network, int gpus, Kubernetes kubernetes) {
            this(executor, image, dockerfile, cpus, memoryBytes, network, gpus, kubernetes, Slurm.DEFAULTS);
        }
    }

    /**
     * {@code environment.kubernetes}: where and how the {@code kubernetes} executor creates each trial's Job.
     * {@code namespace} null: the kubeconfig's (or the pod's own, in a cluster). {@code serviceAccount} null: the
     * namespace's default (its token is never mounted). {@code labels}: added to the Job and its pod beside Hone's
     * {@code hone.*} labels. {@code volume} null: the pod fetches the workspace from Hone over HTTP and sends its
     * output back; else the name of a ReadWriteMany PersistentVolumeClaim holding Hone's data directory, mounted in
     * the pod at the same path.
     */
    public record Kubernetes(String namespace, String serviceAccount, Map<String, String> nodeSelector,
                             List<Toleration> tolerations, List<String> imagePullSecrets, Map<String, String> labels,
                             String volume) {

        public static final Kubernetes DEFAULT = new Kubernetes(null, null, Map.of(), List.of(), List.of(), Map.of(),
                null);

        public Kubernetes {
            nodeSelector = nodeSelector == null ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(nodeSelector));
            tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
            imagePullSecrets = imagePullSecrets == null ? List.of() : List.copyOf(imagePullSecrets);
            labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }
    }

    /**
     * A toleration of {@code environment.kubernetes.tolerations}, as Kubernetes spells it. {@code operator}:
     * {@code Equal} or {@code Exists}; {@code effect} null: every effect.
     */
    public record Toleration(String key, String operator, String value, String effect) {}

    /**
     * {@code environment.slurm}: the {@code sbatch} options of every trial's job; null: the cluster's default.
     * {@code extraArgs}: further {@code sbatch} options as written ({@code --nice=10}); empty for none.
     */
    public record Slurm(String partition, String account, String qos, String constraint, List<String> extraArgs) {

        public static final Slurm DEFAULTS = new Slurm(null, null, null, null, List.of());

        public Slurm {
            extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
        }
    }

    /**
     * {@code target} null: no target (one training run, success is "it produced the metric"). {@code constraints}:
     * bounds on other metrics a trial must keep to reach the target or be the best; empty for none.
     * {@code regressionTolerance} ({@code metric.regression_tolerance}, 0 or more): how much worse than the base
     * branch's previous best a run's best may be before it is a {@code regression}. {@code further}: the metrics after
     * the first when {@code metric} is a list (multi-objective: the study keeps the Pareto front); empty for one.
     */
    public record Metric(String name, Direction direction, Double target, List<Constraint> constraints,
                         double regressionTolerance, Confirm confirm, List<Objective> further) {

        public Metric {
            constraints = constraints == null ? List.of() : List.copyOf(constraints);
            further = further == null ? List.of() : List.copyOf(further);
        }

        /** One metric. */
        public Metric(String name, Direction direction, Double target, List<Constraint> constraints,
                      double regressionTolerance, Confirm confirm) {
            this(name, direction, target, constraints, regressionTolerance, confirm, List.of());
        }

        /** This metric with another target (null: none). */
        public Metric withTarget(Double newTarget) {
            return new Metric(name, direction, newTarget, constraints, regressionTolerance, confirm, further);
        }

        /** Without confirmation ({@code metric.confirm}). */
        public Metric(String name, Direction direction, Double target, List<Constraint> constraints,
                      double regressionTolerance) {
            this(name, direction, target, constraints, regressionTolerance, null);
        }

        /** With no regression tolerance. */
        public Metric(String name, Direction direction, Double target, List<Constraint> constraints) {
            this(name, direction, target, constraints, 0);
        }

        /** Without constraints. */
        public Metric(String name, Direction direction, Double target) {
            this(name, direction, target, List.of());
        }
    }

    /**
     * {@code timeout} null: no study timeout. {@code seed} null: random. {@code rebuild} null: no rebuild
     * program. {@code earlyStopping} null: off. {@code params} keep their order in the file. {@code giveUpBelow}
     * ({@code tune.give_up_below}, between 0 and 1; null: off): the study stops, the target missed, once its chance of
     * reaching the target within the remaining budget falls below it ({@code dev.hone.tune.Foresight}).
     * {@code warmStart}: the run starts from the project's earlier runs' trials ({@code tune.warm_start}, default
     * true; see {@link dev.hone.tune.WarmStart}).
     */
    public record Tune(Strategy strategy, List<Param> params, int maxTrials, int maxFailedTrials, int parallel,
                       Duration timeout, Long seed, String rebuild, EarlyStopping earlyStopping, Double giveUpBelow,
                       boolean warmStart) {

        /** Without {@code give_up_below}, with warm start on (the default). */
        public Tune(Strategy strategy, List<Param> params, int maxTrials, int maxFailedTrials, int parallel,
                    Duration timeout, Long seed, String rebuild, EarlyStopping earlyStopping) {
            this(strategy, params, maxTrials, maxFailedTrials, parallel, timeout, seed, rebuild, earlyStopping, null);
        }

        /** With warm start on (the default). */
        public Tune(Strategy strategy, List<Param> params, int maxTrials, int maxFailedTrials, int parallel,
                    Duration timeout, Long seed, String rebuild, EarlyStopping earlyStopping, Double giveUpBelow) {
            this(strategy, params, maxTrials, maxFailedTrials, parallel, timeout, seed, rebuild, earlyStopping,
                    giveUpBelow, true);
        }
    }

    /** Null channel records mean "not configured". */
    public record Notify(List<String> on, Email email, Slack slack, Webhook webhook) {}

    public record Email(List<String> to, boolean author) {}

    /** {@code toString} masks the URL, which is the secret. */
    public record Slack(String url) {
        @Override
        public String toString() {
            return "Slack[url=" + Disclosure.mask(url) + "]";
        }
    }

    /** {@code toString} masks the URL and the secret. */
    public record Webhook(String url, String secret) {
        @Override
        public String toString() {
            return "Webhook[url=" + Disclosure.mask(url) + ", secret=" + Disclosure.mask(secret) + "]";
        }
    }

    public enum RestartPolicy { ON_FAILURE, ALWAYS, NEVER }

    /**
     * {@code maxBackoff}: the cap of the exponential wait between restarts (they start at once, then 100 ms,
     * doubling up to it).
     */
    public record Restart(RestartPolicy policy, int maxRestarts, Duration maxBackoff) {

        public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

        public Restart(RestartPolicy policy, int maxRestarts) {
            this(policy, maxRestarts, DEFAULT_MAX_BACKOFF);
        }
    }

    /**
     * The whole {@code serve} block is null when absent. {@code minImprovement} ({@code serve.promote.min_improvement},
     * 0 or more): how much better than the served model a run's best must be to replace it. {@code probation}
     * ({@code serve.probation}): how long a newly promoted model is watched; failing its health checks or restarting
     * past {@code restart.max_restarts} within it rolls the previous model back.
     */
    public record Serve(String command, int port, String health, Restart restart, double minImprovement,
                        Duration probation) {

        public static final Duration DEFAULT_PROBATION = Duration.ofMinutes(10);

        public Serve {
            probation = probation == null ? DEFAULT_PROBATION : probation;
        }

        /** Promoting any better model, with the default probation. */
        public Serve(String command, int port, String health, Restart restart) {
            this(command, port, health, restart, 0, DEFAULT_PROBATION);
        }
    }

    /** The words {@code notify.on} allows, and its default: every event a run's channels can be told of. */
    public static final List<String> EVENT_TYPES = Notifiable.types();

    /** The zero-configuration pipeline for a project called {@code name}. */
    public static Spec defaults(String name) {
        return new Spec(ProjectNames.of(name),
                new Train(null, null, Map.of()),
                new Environment(Executor.AUTO, "auto", null, null, null, Network.NONE, 0),
                new Metric("accuracy", Direction.MAXIMIZE, null),
                new Tune(Strategy.AUTO, List.of(), 30, 3, 1, null, null, null, null),
                new Notify(EVENT_TYPES, null, null, null),
                null);
    }
}
