package dev.hone.pipeline;

import dev.hone.error.HoneException;
import dev.hone.data.DataDir;
import dev.hone.dataset.DataRoots;
import dev.hone.dataset.DataVersions;
import dev.hone.data.RunDir;
import dev.hone.data.TrialDir;
import dev.hone.detect.Detection;
import dev.hone.detect.Detector;
import dev.hone.exec.Executor;
import dev.hone.exec.GpuPool;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.SessionConfig;
import dev.hone.exec.TrialContract;
import dev.hone.exec.TrialEnvironment;
import dev.hone.exec.Workspace;
import dev.hone.exec.docker.Docker;
import dev.hone.notify.Dispatcher;
import dev.hone.notify.Event;
import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.serving.Deployments;
import dev.hone.source.Commit;
import dev.hone.source.PullRef;
import dev.hone.spec.InvalidSpecException;
import dev.hone.spec.ProjectNames;
import dev.hone.spec.Spec;
import dev.hone.spec.SpecLoader;
import dev.hone.store.NewRun;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.tune.Pruners;
import dev.hone.tune.Rebuilder;
import dev.hone.tune.Sampler;
import dev.hone.tune.Samplers;
import dev.hone.tune.WarmStart;
import dev.hone.tune.SearchSpace;
import dev.hone.tune.SearchSpaceException;
import dev.hone.tune.Strategy;
import dev.hone.tune.Study;
import dev.hone.tune.StudyConfig;
import dev.hone.tune.StudyResult;
import dev.hone.tune.Trial;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * One run of a directory: spec → detection → environment → study → events → summary. Every run is recorded in
 * the store from its start, so an interrupted or invalid run leaves a record too.
 */
public final class Pipeline {

    private final Store store;
    private final DataDir dataDir;
    private final Map<String, String> env;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final Environments environments;
    private final Dispatcher dispatcher;
    private final PrintStream out;
    private final RunListener progress;
    private final Semaphore trialSlots;
    private final AtomicReference<Study> study = new AtomicReference<>();
    private final AtomicReference<Executor.Session> session = new AtomicReference<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    /** Where a model that reached its target is served ({@code hone serve}); null: nowhere ({@code hone run}). */
    private volatile Deployments deployments;
    /** Who may record a queued run under its project's name ({@code hone serve}: the watched repositories). */
    private volatile ProjectClaims claims = ProjectClaims.NONE;
    /** The installation's GPUs: trials that ask for some are given them ({@code hone run}, {@code hone serve}). */
    private volatile GpuPool gpus = GpuPool.none();
    /** What of Hone's environment the programs of a run may be given ({@code ${VAR}} in train.env, commands). */
    private final TrialEnvironment trialEnv;
    /** Reads the versions of the data a spec names ({@code hone serve}: only under its {@code data_roots}). */
    private volatile DataVersions data = new DataVersions(DataRoots.ANYWHERE);
    /** Secrets of the installation masked in every output, besides the spec's own. */
    private final List<Supplier<? extends Collection<String>>> hidden = new CopyOnWriteArrayList<>();

    /**
     * @param out      where the run says what it is doing (executor chosen, notifications); a null stream for quiet
     * @param progress told of every trial (the CLI's live progress line)
     */
    public Pipeline(Store store, DataDir dataDir, Map<String, String> env, InstantSource clock, RandomGenerator random,
                    Environments environments, Dispatcher dispatcher, PrintStream out, RunListener progress,
                    Semaphore trialSlots, TrialEnvironment trialEnv) {
        this.trialEnv = trialEnv;
        this.trialSlots = trialSlots;
        this.store = store;
        this.dataDir = dataDir;
        this.env = env;
        this.clock = clock;
        this.random = random;
        this.environments = environments;
        this.dispatcher = dispatcher;
        this.out = out;
        this.progress = progress;
    }

    /**
     * Runs a checkout directly ({@code hone run}, {@code hone demo}). First the direct runs whose process is gone
     * are ended {@code interrupted} (nobody will resume them; {@code hone serve} does the same at its start).
     */
    public RunOutcome run(RunRequest request) {
        Recovery.endAbandoned(store, dataDir, clock, env).ifPresent(out::println);
        return run(request, null);
    }

    /**
     * Runs a checkout for a run that {@code hone serve} queued and claimed: the run's record is used instead of a
     * new one, its project name is the default name, and its commit, branch, author and message come from the
     * record (the checkout has no git metadata).
     */
    public RunOutcome run(long queuedRunId, RunRequest request) {
        RunRow queued = store.run(queuedRunId).orElseThrow(() -> new HoneException(
                "there is no run " + queuedRunId + " in " + store + ": queue it before running it"));
        return run(request, queued);
    }

    private RunOutcome run(RunRequest request, RunRow queued) {
        Path dir = request.dir().toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new HoneException("no such directory: " + dir + ": give the directory that holds main.py");
        }
        String defaultName = queued != null ? queued.project()
                : ProjectNames.of(dir.getFileName() == null ? null : dir.getFileName().toString());
        Optional<Commit> commit = queued != null ? commitOf(queued) : Commit.of(dir);
        Optional<Path> specFile = SpecLoader.find(dir);
        String specYaml = null;
        Instant created = clock.instant();
        DiskSpace space = new DiskSpace(dataDir);
        space.reserve();

        Spec parsed = null;
        Spec spec;
        Detection detection;
        String command;
        Environments.Choice choice;
        try {
            specYaml = specFile.isPresent() ? SpecLoader.read(dir, specFile.get()) : null;
            parsed = parse(specFile, specYaml, defaultName);
            Prepared prepared = prepare(dir, specFile, parsed, request, queued);
            spec = prepared.spec();
            detection = prepared.detection();
            command = prepared.command();
            choice = prepared.choice();
        } catch (InvalidSpecException e) {
            // the run's record keeps the metric of a hone.yaml that loaded, though nothing was trained by it
            long runId = begin(queued, defaultName, dir, commit, specYaml, parsed == null ? null : parsed.metric(),
                    created);
            store.addEvent(runId, new RunEvent.InvalidConfig(e.getMessage()), clock.instant());
            store.finishRun(runId, RunStatus.INVALID_CONFIG, null, clock.instant());
            return new RunOutcome(runId, Summaries.invalid(runId, defaultName, commit.map(Commit::sha).orElse(null),
                    e.problemLines()));
        }

        long runId = beginWithRoom(space, queued, spec.name(), dir, commit, specYaml, spec.metric(), created);
        Map<String, String> versions;
        try {
            versions = dataVersions(runId, queued, spec);
        } catch (HoneException e) {
            return new Conclusion(store, alerts(runId, spec), clock).environmentFailed(runId, spec,
                    new Origin(spec.name(), commit, Map.of()), e.getMessage());
        }
        Origin origin = new Origin(spec.name(), commit, versions);
        try {
            return run(runId, queued, dir, spec, detection, command, choice, origin, created, space);
        } catch (RuntimeException e) {
            if (!DiskSpace.exhausted(e)) {
                throw e;
            }
            space.release();
            out.println("hone: " + space.reason());
            return new Conclusion(store, alerts(runId, spec), clock).noSpace(runId, spec, origin, space.reason());
        }
    }

    /**
     * The version of each data source the run trains on ({@code data:}), recorded on the run and said; a resumed run
     * keeps those it started with.
     */
    private Map<String, String> dataVersions(long runId, RunRow queued, Spec spec) {
        if (spec.data().isEmpty()) {
            return Map.of();
        }
        Map<String, String> recorded = queued != null ? store.dataVersions(runId) : Map.of();
        if (!recorded.isEmpty()) {
            return recorded;
        }
        Map<String, String> versions = data.versions(spec.data(), Map.of());
        store.recordDataVersions(runId, versions);
        versions.forEach((source, version) -> out.printf("hone: data %s at %s%n", source, version));
        return versions;
    }

    /** A run's spec, its entrypoint and detection, and where it trains, once all of them are checked. */
    private record Prepared(Spec spec, Detection detection, String command, Environments.Choice choice) {}

    private Spec parse(Optional<Path> specFile, String specYaml, String defaultName) {
        return specFile.isPresent()
                ? SpecLoader.parse(specYaml, specFile.get().getFileName().toString(), defaultName, env,
                        trialEnv::passes)
                : Spec.defaults(defaultName);
    }

    /** The command line's flags over {@code parsed}, the entrypoint, the files it names, where it trains. */
    private Prepared prepare(Path dir, Optional<Path> specFile, Spec parsed, RunRequest request, RunRow queued) {
        Spec spec = Overrides.apply(parsed, request);
        if (queued != null) {
            Optional<Rerun> rerun = store.rerun(queued.id()).map(Rerun::read);
            if (rerun.isPresent()) {
                spec = rerun.get().apply(spec);
            }
        }
        Optional<PullRef> pull = queued == null ? Optional.empty() : PullRef.of(queued.branch());
        if (pull.isPresent()) {
            Optional<String> down = Docker.unavailableReason(env);
            if (down.isPresent()) {
                throw InvalidSpecException.of(specFile.map(p -> p.getFileName().toString()).orElse("hone.yaml"),
                        "environment.executor", pull.get().label() + " is not run: the code of a pull request is "
                                + "not trusted, so it runs only in a Docker container without network, and Docker "
                                + "does not answer here (" + down.get() + ") — run hone serve where Docker answers, "
                                + "or set pull_requests: false");
            }
            spec = Untrusted.of(spec);
        }
        Detection detection = Detector.detect(dir);
        String command = spec.train().command() != null ? spec.train().command() : detection.defaultCommand();
        if (command == null) {
            throw InvalidSpecException.of(specFile.map(p -> p.getFileName().toString()).orElse("hone.yaml"),
                    "train.command", "no training entrypoint in " + dir
                            + ": add main.py (or train.py), or set train.command in hone.yaml");
        }
        CheckoutFiles.check(dir, command, spec);
        if (queued != null) {
            Optional<String> refusal = claims.refusal(spec.name(), queued.source());
            if (refusal.isPresent()) {
                throw InvalidSpecException.of(specFile.map(p -> p.getFileName().toString()).orElse("hone.yaml"),
                        "name", refusal.get());
            }
        }
        Environments.Choice choice = environments.choose(spec, detection.framework());
        Optional<String> noGpus = choice.onThisMachine() ? gpus.refusal(spec.environment().gpus())
                : Optional.empty();
        if (noGpus.isPresent()) {
            throw InvalidSpecException.of(specFile.map(p -> p.getFileName().toString()).orElse("hone.yaml"),
                    "environment.resources.gpus", noGpus.get());
        }
        return new Prepared(spec, detection, command, choice);
    }

    /**
     * What {@code hone run --dry-run} prints: what the run's executor would submit for its first trial (for
     * Kubernetes, the Secret and Job manifests), its spec read and checked as for a run, nothing recorded or
     * started. The run's id, its paths under the data directory and the trial's parameters are placeholders.
     *
     * @throws InvalidSpecException when {@code hone.yaml} or the flags are invalid
     */
    public String dryRun(RunRequest request) {
        Path dir = request.dir().toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new HoneException("no such directory: " + dir + ": give the directory that holds main.py");
        }
        String defaultName = ProjectNames.of(dir.getFileName() == null ? null : dir.getFileName().toString());
        Optional<Path> specFile = SpecLoader.find(dir);
        String specYaml = specFile.isPresent() ? SpecLoader.read(dir, specFile.get()) : null;
        Prepared p = prepare(dir, specFile, parse(specFile, specYaml, defaultName), request, null);
        Spec spec = p.spec();
        RunDir runDir = dataDir.run(0);
        String image = p.choice().onThisMachine() ? spec.environment().image()
                : environments.image(p.choice(), dir, spec, p.detection().framework());
        SessionConfig config = new SessionConfig("0", spec.name(), image, spec.environment().cpus(),
                spec.environment().memoryBytes(), spec.environment().network() == Spec.Network.BRIDGE,
                spec.train().env(), secrets(spec));
        TrialDir trial = runDir.trial(1);
        ProcessRequest first = new ProcessRequest(p.command(), TrialContract.environment(1, "0", trial.params(),
                trial.output(), Map.of()), trial.log(), spec.train().timeout(), line -> {});
        String kind = p.choice().executor().kind();
        return p.choice().executor().dryRun(runDir.workspace(), config, first)
                .map(submitted -> "# executor " + kind + " (" + p.choice().reason() + "): what trial 1 submits;"
                        + " the run id (0), its paths and the trial's parameters are placeholders\n" + submitted)
                .orElse("executor " + kind + " (" + p.choice().reason() + ") submits nothing for review: trial 1"
                        + " runs `" + p.command() + "` in the run's copy of " + dir + "\n");
    }

    /** The run once it is recorded: workspace, environment, study, conclusion. */
    private RunOutcome run(long runId, RunRow queued, Path dir, Spec spec, Detection detection, String command,
                           Environments.Choice choice, Origin origin, Instant created, DiskSpace space) {
        RunDir runDir = dataDir.run(runId);
        store.updateRunInfo(runId, detection.framework().label(), choice.executor().kind());
        progress.runStarted(runId, spec);
        out.printf("hone: run %d of %s · %s · executor %s (%s)%n", runId, spec.name(), detection.framework().label(),
                choice.executor().kind(), choice.reason());

        List<Trial> earlier = Resumption.prepare(store, runId, runDir, queued != null, choice.adoptsJobs(),
                out);
        Workspace workspace = queued != null
                ? Workspace.reopen(dir, runDir, earlier.stream().mapToInt(Trial::number).max().orElse(0))
                : Workspace.create(dir, runDir);
        Executor.Session opened;
        String image;
        try {
            image = environments.image(choice, workspace.dir(), spec, detection.framework());
            opened = choice.executor().open(workspace.dir(), new SessionConfig(Long.toString(runId), spec.name(),
                    image, spec.environment().cpus(), spec.environment().memoryBytes(),
                    spec.environment().network() == Spec.Network.BRIDGE, spec.train().env(),
                    secrets(spec), spec.environment().gpus() > 0 && choice.onThisMachine() ? gpus.uuids()
                    : List.of()));
        } catch (HoneException e) {
            return new Conclusion(store, alerts(runId, spec), clock).environmentFailed(runId, spec, origin,
                    e.getMessage());
        }
        Alerts alerts = alerts(runId, spec);
        long seed = Reproduction.seedOf(store, runId).orElseGet(() -> spec.tune().seed() != null ? spec.tune().seed()
                : random.nextLong());
        if (store.reproduction(runId).isEmpty()) {
            store.recordReproduction(runId, Reproduction.record(dir, origin.commit(), choice.executor().kind(), image,
                    environments.digest(choice, image), store.run(runId).map(RunRow::specYaml).orElse(null), seed,
                    env).json());
        }
        try (Executor.Session s = opened) {
            session.set(s);
            TrialExecution trials = new TrialExecution(s, store, runId, runDir, command, spec.metric(),
                    spec.train().timeout(), clock, progress, trialSlots,
                    Pruners.forRule(spec.tune().earlyStopping(), spec.metric().direction()), space,
                    reason -> study.get().halt(reason))
                    .givingGpus(gpus, choice.onThisMachine() ? spec.environment().gpus() : 0).seeding(seed);
            s.watch(new RestartEvents(alerts, Conclusion.eventOrigin(origin), trials));
            Study current = study(runId, spec, s, trials, runDir, workspace, seed, alerts).resumeFrom(earlier);
            study.set(current);
            if (cancelled.get()) {
                current.cancel();
            }
            StudyResult result = current.run();
            if (result.ending() == StudyResult.Ending.HALTED) {
                space.release(); // room for the records the full disk refused, and for the run's end
                out.println("hone: " + result.detail());
                trials.saveUnsaved();
            }
            if (result.ending() != StudyResult.Ending.CANCELLED) {
                workspace.release(); // the run is over; a cancelled one may be resumed by the next hone serve
            }
            Resumption.settle(store, runId, earlier, result, runDir, clock);
            RunOutcome outcome = new Conclusion(store, alerts, clock).conclude(runId, spec, origin, created,
                    result, trials::tail, runDir);
            return Served.serve(deployments, store, outcome, spec, runDir, choice.executor().kind(), image, alerts,
                    Conclusion.eventOrigin(origin), out);
        } catch (SearchSpaceException e) {
            throw new HoneException(e.getMessage(), e); // a configuration problem: `hone: …`, exit 2
        } finally {
            session.set(null);
        }
    }

    /** Where the run's events go: recorded on it, and to its channels. */
    private Alerts alerts(long runId, Spec spec) {
        return new Alerts(store, dispatcher, clock, runId, spec.notifications());
    }

    private Study study(long runId, Spec spec, Executor.Session s, TrialExecution trials, RunDir runDir,
                        Workspace workspace, long seed, Alerts alerts) {
        Spec.Tune tune = spec.tune();
        SearchSpace space = new SearchSpace(tune.params(), spec.metric().direction(), spec.metric().target(),
                spec.metric().further());
        boolean script = tune.strategy() == Strategy.SCRIPT
                || (tune.strategy() == Strategy.AUTO && tune.rebuild() != null);
        Rebuilder rebuilder = script
                ? new ScriptRebuilder(s, tune.rebuild(), runDir, workspace, Map.of()) : null;
        Sampler sampler = !script && !space.isEmpty()
                ? Samplers.forStrategy(tune.strategy(), space, tune.maxTrials(), seed) : null;
        if (sampler != null && tune.warmStart()) {
            sampler = WarmStart.sampler(sampler, WarmStarts.prepare(store, runId, spec, space, out));
        }
        StudyConfig config = new StudyConfig(space, tune.maxTrials(), tune.maxFailedTrials(), tune.parallel(),
                tune.timeout(), spec.metric().constraints()).confirming(spec.metric().confirm(), seed);
        return new Study(config, sampler, rebuilder, trials, new BestSoFar(store, runId, progress, alerts::log),
                clock).givingUpBelow(tune.giveUpBelow());
    }

    /**
     * Serves the models of runs that reach their target through {@code deployments} (the {@code serve:} of their
     * hone.yaml); without, {@code serve:} is left to {@code hone serve}. Returns this pipeline.
     */
    /** Hands trials GPUs of {@code pool} ({@code environment.resources.gpus}); without it there are none. */
    public Pipeline allocating(GpuPool pool) {
        this.gpus = pool;
        return this;
    }

    public Pipeline serving(Deployments serving) {
        this.deployments = serving;
        return this;
    }

    /**
     * Masks {@code secrets} too (the installation's: its API token, passwords, webhook secrets) in every output of
     * the runs, as a second wall behind the environment trials are given. Returns this pipeline.
     */
    public Pipeline hiding(Supplier<? extends Collection<String>> secrets) {
        hidden.add(secrets);
        return this;
    }

    /** The spec's secrets and the installation's. */
    private Set<String> secrets(Spec spec) {
        Set<String> all = new LinkedHashSet<>(spec.train().secrets());
        hidden.forEach(secrets -> all.addAll(secrets.get()));
        return all;
    }

    /** Queued runs take their project's name only when {@code claims} lets them. Returns this pipeline. */
    /** Reads the data a spec names with {@code versions} (its allow-list, its hashes); returns this pipeline. */
    public Pipeline readingData(DataVersions versions) {
        this.data = versions;
        return this;
    }

    public Pipeline claimedBy(ProjectClaims claims) {
        this.claims = claims;
        return this;
    }

    /** Ctrl-C: kills the running trials and ends the run as cancelled. Safe from any thread, before or during run. */
    public void cancel() {
        cancelled.set(true);
        Study current = study.get();
        if (current != null) {
            current.cancel();
        }
        Executor.Session s = session.get();
        if (s != null) {
            s.cancelAll();
        }
    }

    /** {@link #begin}, once more after freeing the reserve when the disk is full. */
    private long beginWithRoom(DiskSpace space, RunRow queued, String project, Path dir, Optional<Commit> commit,
                               String specYaml, Spec.Metric metric, Instant created) {
        try {
            return begin(queued, project, dir, commit, specYaml, metric, created);
        } catch (RuntimeException e) {
            if (!DiskSpace.exhausted(e)) {
                throw e;
            }
            space.release();
            return begin(queued, project, dir, commit, specYaml, metric, created);
        }
    }

    /** The run's record: a new one, or the queued run's, given its project name, spec snapshot and metric. */
    private long begin(RunRow queued, String project, Path dir, Optional<Commit> commit, String specYaml,
                       Spec.Metric metric, Instant created) {
        if (queued == null) {
            return store.createRun(newRun(project, dir, commit, specYaml, metric, created));
        }
        store.queue().assign(queued.id(), project, specYaml, metric);
        return queued.id();
    }

    /** A queued run's commit as recorded ("Name <email>" authors give their email back). */
    private static Optional<Commit> commitOf(RunRow run) {
        if (run.commit() == null) {
            return Optional.empty();
        }
        String author = run.author();
        String email = author != null && author.endsWith(">") && author.contains("<")
                ? author.substring(author.lastIndexOf('<') + 1, author.length() - 1) : null;
        return Optional.of(new Commit(run.commit(), run.branch(), author, email, run.message(), run.source()));
    }

    private static NewRun newRun(String project, Path dir, Optional<Commit> commit, String specYaml,
                                 Spec.Metric metric, Instant at) {
        return new NewRun(project, dir.toString(), commit.map(Commit::sha).orElse(null),
                commit.map(Commit::branch).orElse(null), commit.map(Commit::author).orElse(null),
                commit.map(Commit::message).orElse(null), specYaml, metric, at);
    }

    /** Where a run came from, for events. */
    record Origin(String project, Optional<Commit> commit, Map<String, String> data) {
        Event.Origin toEvent() {
            return new Event.Origin(project, commit.map(Commit::sha).orElse(null),
                    commit.map(Commit::author).orElse(null), null, null, data);
        }
    }
}
