package dev.hone.serving;

import dev.hone.error.HoneException;
import dev.hone.exec.Containers;
import dev.hone.exec.Masks;
import dev.hone.notify.Event;
import dev.hone.restart.RestartPolicy;
import dev.hone.spec.SecretNames;
import dev.hone.spec.Spec;
import dev.hone.time.Backoff;
import dev.hone.time.Sleeper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.LoggerFactory;

/**
 * The models Hone serves ({@code serve:} of hone.yaml, DESIGN §2), one deployment per project: when a run reaches its
 * target, {@link #deploy} starts {@code serve.command} in a container of the run's image, the best trial's output
 * mounted read-only at {@value #MODEL} ({@code $HONE_MODEL}) and the run's workspace read-only as working
 * directory, and serves it on {@code 127.0.0.1:<serve.port>} once {@code GET <serve.health>} answers. Hone owns
 * that port and forwards it to the container, which publishes its own port on 127.0.0.1 only: so a better model
 * replaces the one serving without a gap (the new one starts and becomes healthy beside it, the port switches, the
 * old one is removed once its connections are done). Containers that stop are started again per
 * {@code serve.restart}; restarts and give-ups are events of the run whose model it is.
 */
public final class Deployments implements AutoCloseable {

    /** Where the model is seen inside the container ({@code $HONE_MODEL}). */
    public static final String MODEL = "/model";
    /** The run's workspace inside the container, its working directory. */
    public static final String WORKSPACE = "/workspace";
    /** The label carrying the project a serve container serves. */
    public static final String LABEL = "hone.deployment";

    /**
     * How deployments are checked and restarted: each health check is bounded by {@code checkTimeout}; a new
     * container has {@code startTimeout} to become healthy; a serving one is checked every {@code livenessInterval}
     * and killed (then restarted per policy) after {@code livenessFailures} failed checks in a row; an old container
     * is removed once its connections are done, at most {@code drain} after a swap; restarts wait per
     * {@code backoff} (its cap is {@code serve.restart.max_backoff}'s) and count as a first one again after
     * {@code resetAfter} of running (see {@link RestartPolicy}).
     */
    public record Options(Duration checkTimeout, Duration startTimeout, Duration livenessInterval,
                          int livenessFailures, Duration drain, Backoff backoff, Duration resetAfter) {

        public static final Options DEFAULTS = new Options(Duration.ofSeconds(2), Duration.ofSeconds(60),
                Duration.ofSeconds(5), 3, Duration.ofSeconds(30), RestartPolicy.BACKOFF, RestartPolicy.RESET_AFTER);

        public Options {
            Objects.requireNonNull(checkTimeout, "checkTimeout");
            Objects.requireNonNull(startTimeout, "startTimeout");
            Objects.requireNonNull(livenessInterval, "livenessInterval");
            Objects.requireNonNull(drain, "drain");
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(resetAfter, "resetAfter");
            if (livenessFailures < 1) {
                throw new IllegalArgumentException("liveness failures must be at least 1, got " + livenessFailures);
            }
        }
    }

    /**
     * A model to serve: the run and trial it comes from, where its restarts and give-ups go ({@code alerts}: that
     * run's events), the run's image, the trial's output directory, the run's workspace, {@code serve:}, the run's
     * environment, the secrets to hide in the model's output ({@code Spec.Train#secrets}; values of {@code env} whose
     * names say secret are hidden anyway) and the run's limits.
     */
    public record Request(String project, long runId, int trial, Event.Origin origin, Consumer<Event> alerts,
                          String image, Path model, Path workspace, Spec.Serve serve, Map<String, String> env,
                          Set<String> secrets, Double cpus, Long memoryBytes) {}

    /** A request made into a container plan; {@code masks} hide its secrets in the container's output. */
    record Target(String project, long runId, int trial, Event.Origin origin, Consumer<Event> alerts,
                  Spec.Serve serve, Containers.Plan plan, Masks masks) {}

    /**
     * Where a project's deployment stands. {@code runId} and {@code trial}: the model serving now, else the one being
     * (or that failed to be) deployed; {@code container}: the one serving now, else null; {@code state}: starting
     * (its first model is not healthy yet), serving, restarting, gave_up (past max_restarts), stopped (the restart
     * policy leaves it stopped), failed (its first model never became healthy); {@code restarts}: of the model
     * serving now; {@code detail}: why the last deploy or the container failed, else null; {@code since}: when the
     * model serving now was put behind the port (deployed, or taken over from an earlier Hone), else null.
     */
    public record Status(String project, long runId, int trial, String container, int port, String state,
                         int restarts, String detail, Instant since) {}

    private final Containers containers;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private final Options options;
    private final Map<String, Deployment> byProject = new ConcurrentHashMap<>();

    public Deployments(Containers containers, InstantSource clock, Sleeper sleeper, Options options) {
        this.containers = Objects.requireNonNull(containers, "containers");
        this.clock = clock;
        this.sleeper = sleeper;
        this.options = options;
    }

    /**
     * Serves {@code request}'s model, replacing the project's current one without a gap. Blocks until it serves or
     * failed (at most the start timeout); a failure is in the status' detail, and reported as
     * {@code container_gave_up}.
     *
     * @throws HoneException the port is another program's
     */
    public Status deploy(Request request) {
        Target target = target(request);
        Deployment deployment = byProject.compute(request.project(), (project, existing) -> {
            if (existing != null && existing.status().port() == request.serve().port()) {
                return existing;
            }
            if (existing != null) {
                existing.retire(); // serve.port changed: the old port closes with its container
            }
            return open(project, request.serve().port());
        });
        Serving serving = deployment.current();
        if (serving != null && serving.target().runId() > request.runId()) {
            return deployment.status(); // a later run's model serves already
        }
        return deployment.deploy(target);
    }

    /**
     * Takes over the models an earlier Hone served (containers labelled {@value #LABEL}): per project the newest
     * run's container is health-checked and put behind its port again, or, if it stopped meanwhile, started again
     * from its own configuration; older ones are removed. Only containers whose Hone process is gone and whose model
     * lies in {@code dataDir} are taken over. {@code alerts} gives where a run's events go. Returns the statuses.
     */
    public List<Status> adopt(Path dataDir, LongFunction<Consumer<Event>> alerts) {
        Map<String, Containers.Found> newest = new LinkedHashMap<>();
        Path data = dataDir.toAbsolutePath().normalize();
        List<Containers.Found> found = containers.find(LABEL).stream().filter(f -> !f.ownerAlive()
                && f.plan().mounts().stream().anyMatch(m -> m.target().equals(MODEL) && m.source().startsWith(data)))
                .toList();
        for (Containers.Found f : found) {
            newest.merge(f.plan().labels().get(LABEL), f, (a, b) -> runOf(a) >= runOf(b) ? a : b);
        }
        List<Status> adopted = new ArrayList<>();
        for (Containers.Found f : found) {
            if (!newest.containsValue(f)) {
                containers.remove(f.id());
            }
        }
        for (Containers.Found f : newest.values()) {
            try {
                adopted.add(adopt(f, alerts));
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(Deployments.class).warn("could not adopt the model of {}: {}",
                        f.plan().labels().get(LABEL), e.getMessage());
            }
        }
        return adopted;
    }

    private Status adopt(Containers.Found found, LongFunction<Consumer<Event>> alerts) {
        Map<String, String> labels = found.plan().labels();
        String project = labels.get(LABEL);
        long runId = runOf(found);
        String[] restart = labels.getOrDefault("hone.serve.restart", "on_failure:3").split(":");
        Spec.Serve serve = new Spec.Serve(found.plan().command(), Integer.parseInt(labels.get("hone.serve.port")),
                labels.getOrDefault("hone.serve.health", "/health"), new Spec.Restart(
                        Spec.RestartPolicy.valueOf(restart[0].toUpperCase(Locale.ROOT)),
                        Integer.parseInt(restart[1]), restart.length > 2
                                ? Duration.ofMillis(Long.parseLong(restart[2]))
                                : Spec.Restart.DEFAULT_MAX_BACKOFF));
        Target target = new Target(project, runId, Integer.parseInt(labels.getOrDefault("hone.trial", "0")),
                new Event.Origin(project, null, null), alerts.apply(runId), serve, found.plan(),
                Masks.of(SecretNames.secretValues(found.plan().env()).toList()));
        Deployment deployment = byProject.computeIfAbsent(project, p -> open(p, serve.port()));
        if (found.running()) {
            return deployment.adopt(target, new Containers.Started(found.id(), found.hostPort()));
        }
        containers.remove(found.id());
        return deployment.deploy(target);
    }

    private static long runOf(Containers.Found f) {
        try {
            return Long.parseLong(f.plan().labels().getOrDefault("hone.run", "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The project's deployment, if it has one. */
    public Optional<Status> status(String project) {
        return Optional.ofNullable(byProject.get(project)).map(Deployment::status);
    }

    public List<Status> all() {
        return byProject.values().stream().map(Deployment::status).toList();
    }

    private Deployment open(String project, int port) {
        try {
            return new Deployment(project, port, containers, options, clock, sleeper);
        } catch (IOException e) {
            throw new HoneException("serve: cannot listen on 127.0.0.1:" + port + " for " + project + " ("
                    + e.getMessage() + "): another program has the port; free it or choose another serve.port");
        }
    }

    static Target target(Request r) {
        Map<String, String> env = new LinkedHashMap<>(r.env() == null ? Map.of() : r.env());
        env.put("HONE_MODEL", MODEL);
        env.put("HONE_PORT", Integer.toString(r.serve().port()));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL, r.project());
        labels.put("hone.project", r.project());
        labels.put("hone.run", Long.toString(r.runId()));
        labels.put("hone.trial", Integer.toString(r.trial()));
        labels.put("hone.serve.port", Integer.toString(r.serve().port()));
        labels.put("hone.serve.health", r.serve().health());
        labels.put("hone.serve.restart", r.serve().restart().policy().name().toLowerCase(Locale.ROOT)
                + ":" + r.serve().restart().maxRestarts() + ":" + r.serve().restart().maxBackoff().toMillis());
        Containers.Plan plan = new Containers.Plan(r.image(), r.serve().command(), WORKSPACE,
                List.of(new Containers.Mount(r.model(), MODEL, true),
                        new Containers.Mount(r.workspace(), WORKSPACE, true)),
                env, labels, r.serve().port(), r.cpus(), r.memoryBytes());
        Set<String> secrets = new LinkedHashSet<>(r.secrets() == null ? Set.of() : r.secrets());
        SecretNames.secretValues(env).forEach(secrets::add);
        return new Target(r.project(), r.runId(), r.trial(), r.origin(), r.alerts(), r.serve(), plan,
                Masks.of(secrets));
    }

    /**
     * {@code serve.restart} of hone.yaml as the policy its container is supervised with: the options' back-off,
     * capped at {@code max_backoff}.
     */
    static RestartPolicy policy(Spec.Restart restart, Options options) {
        RestartPolicy.Mode mode = switch (restart.policy()) {
            case ON_FAILURE -> RestartPolicy.Mode.ON_FAILURE;
            case ALWAYS -> RestartPolicy.Mode.ALWAYS;
            case NEVER -> RestartPolicy.Mode.NEVER;
        };
        return new RestartPolicy(mode, restart.maxRestarts(), options.backoff().withCap(restart.maxBackoff()),
                options.resetAfter());
    }

    /** Stops serving and supervising: the ports close; the containers go on running, for the next Hone to adopt. */
    @Override
    public void close() {
        new ArrayList<>(byProject.values()).forEach(Deployment::close);
        byProject.clear();
    }
}
