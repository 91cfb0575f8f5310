package dev.hone;

import dev.hone.data.DataDir;
import dev.hone.dataset.DataRoots;
import dev.hone.dataset.DataVersions;
import dev.hone.exec.GpuInventory;
import dev.hone.exec.GpuPool;
import dev.hone.exec.LocalExecutor;
import dev.hone.exec.TrialEnvironment;
import dev.hone.exec.docker.DockerContainers;
import dev.hone.exec.docker.DockerExecutor;
import dev.hone.exec.kubernetes.KubernetesExecutor;
import dev.hone.exec.slurm.SlurmExecutor;
import dev.hone.notify.Channels;
import dev.hone.notify.Courier;
import dev.hone.notify.Dispatcher;
import dev.hone.pipeline.Environments;
import dev.hone.pipeline.Pipeline;
import dev.hone.pipeline.RunListener;
import dev.hone.server.Access;
import dev.hone.server.ApiToken;
import dev.hone.server.QueuePolicy;
import dev.hone.server.Server;
import dev.hone.serving.Deployments;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.ServerSpecLoader;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.time.Sleeper;
import dev.hone.web.WebServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.random.RandomGenerator;

/**
 * The composition root: builds every part with {@code new}. What is not deterministic (the environment, time,
 * randomness, the terminal) comes in here, so tests build an App of their own.
 */
public final class App {

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final InstantSource clock;
    private final RandomGenerator random;
    private volatile Deployments deployments;
    private GpuPool gpus;
    private KubernetesExecutor kubernetes;

    public App(Map<String, String> env, PrintStream out, PrintStream err, InstantSource clock,
               RandomGenerator random) {
        this.env = Map.copyOf(env);
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.random = random;
    }

    /** The App of a real process: its environment, terminal, clock and a random seed. */
    public static App system() {
        return new App(System.getenv(), System.out, System.err, InstantSource.system(), new Random());
    }

    public Map<String, String> env() {
        return env;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public InstantSource clock() {
        return clock;
    }

    /** The data directory: {@code --data} when given, else {@code ~/.hone}. */
    public DataDir dataDir(Path flag) {
        if (flag != null) {
            return new DataDir(flag.toAbsolutePath().normalize());
        }
        return DataDir.inHome(Path.of(env.getOrDefault("HOME", System.getProperty("user.home"))));
    }

    /** The store in a data directory (its SQLite file). */
    public Store store(DataDir dataDir) {
        return Stores.open(dataDir.store().toString());
    }

    /** A pipeline writing to {@code store}; {@code console} receives what the run says (a null stream when quiet). */
    public Pipeline pipeline(Store store, DataDir dataDir, PrintStream console, RunListener progress) {
        ServerSpec defaults = ServerSpecLoader.defaults(env);
        return pipeline(store, dataDir, console, progress, defaults, trialSlots(defaults));
    }

    /**
     * A pipeline of an installation ({@code hone-server.yaml}) for one run at a time ({@code hone run}): it notifies
     * through the installation's channels, linking to runs under its {@code public_url} (the console says of the
     * outcome only what the run's last line does not: see {@link Channels#forOneRun}), follows its default executor for specs that say {@code auto},
     * and runs a trial only when one of the installation's {@code trialSlots} is free.
     */
    public Pipeline pipeline(Store store, DataDir dataDir, PrintStream console, RunListener progress,
                             ServerSpec installation, Semaphore trialSlots) {
        return pipeline(store, dataDir, console, progress, installation, trialSlots,
                dispatcher(store, Channels.forOneRun(installation.notifications(), installation.publicUrl(), console)),
                TrialEnvironment.inherited(env, installation.trialEnv().referenced()));
    }

    /**
     * A pipeline whose local trials start from {@code trialEnv} ({@code hone run}: the user's environment less
     * Hone's own; {@code hone serve}: one built from an allow-list), the installation's secrets masked in every
     * output.
     */
    private Pipeline pipeline(Store store, DataDir dataDir, PrintStream console, RunListener progress,
                              ServerSpec installation, Semaphore trialSlots, Dispatcher dispatcher,
                              TrialEnvironment trialEnv) {
        long logLimit = installation.limits().logSize();
        Set<String> secrets = installation.secrets(env);
        Environments environments = new Environments(env,
                new LocalExecutor(trialEnv.variables(), LocalExecutor.DEFAULT_KILL_GRACE, logLimit),
                new DockerExecutor(env, DockerExecutor.Options.DEFAULTS.withLogLimit(logLimit)),
                kubernetes(logLimit), new SlurmExecutor(env, trialEnv.variables(), logLimit,
                SlurmExecutor.Options.DEFAULTS).probing(installation.slurm().sharedDir() != null
                ? installation.slurm().sharedDir() : dataDir.root()), installation.executor());
        return new Pipeline(store, dataDir, env, clock, random, environments, dispatcher, console, progress,
                trialSlots, trialEnv).serving(deployments).hiding(() -> secrets).allocating(gpus(installation));
    }

    /**
     * Runs Kubernetes trials with {@code executor} instead of one for the usual kubeconfig (its cluster and transfer
     * endpoint); returns this installation.
     */
    public synchronized App withKubernetes(KubernetesExecutor executor) {
        this.kubernetes = executor;
        return this;
    }

    /**
     * The Kubernetes executor of this process: one client and one transfer endpoint for every run, made when a
     * run first asks for them ({@code HONE_KUBERNETES_LISTEN}, {@code HONE_KUBERNETES_URL}).
     */
    private synchronized KubernetesExecutor kubernetes(long logLimit) {
        if (kubernetes == null) {
            kubernetes = KubernetesExecutor.fromEnvironment(env, logLimit);
        }
        return kubernetes;
    }

    /**
     * The GPUs this process hands out to trials: the machine's, read with {@code nvidia-smi} the first time they
     * are asked for, at most {@code limits.gpus} of them; one pool for every run of the process.
     */
    public synchronized GpuPool gpus(ServerSpec installation) {
        if (gpus == null) {
            gpus = new GpuPool(GpuInventory.read(env), installation.limits().gpus());
        }
        return gpus;
    }

    /**
     * The models {@code hone serve} serves (created with the server): containers on this machine's daemon, their
     * restarts waited with the real clock.
     */
    public synchronized Deployments deployments() {
        if (deployments == null) {
            deployments = new Deployments(new DockerContainers(env), clock,
                    Sleeper.system(), Deployments.Options.DEFAULTS);
        }
        return deployments;
    }

    /** The installation-wide limit on trials running at once ({@code limits.trials}), shared by its pipelines. */
    public static Semaphore trialSlots(ServerSpec installation) {
        return new Semaphore(installation.limits().trials(), true);
    }

    /**
     * The server of {@code hone serve} on {@code store}: the repositories and channels of {@code spec}, the queue run
     * within {@code policy}; the API token is {@code spec}'s, else generated once and printed to {@code out}; reads
     * need a token as {@code spec}'s {@code read_access} says at its {@code listen} address.
     */
    public Server server(Store store, DataDir dataDir, ServerSpec spec, QueuePolicy policy) {
        return server(store, dataDir, spec, policy, out);
    }

    /** The same, saying what it has to say to {@code out} ({@code hone serve}: its log) instead of the terminal. */
    public Server server(Store store, DataDir dataDir, ServerSpec spec, QueuePolicy policy, PrintStream out) {
        ApiToken token = ApiToken.establish(spec.apiToken(), store.installation(),
                new SecureRandom(), clock, out);
        Access access = new Access(token, store.installation(), spec.readAccess(spec.listen()), clock);
        Semaphore trialSlots = trialSlots(spec);
        gpus(spec);
        Deployments serving = deployments();
        // one dispatcher for every run: one courier, one set of retries
        Dispatcher dispatcher = dispatcher(store, new Channels(spec.notifications(), spec.publicUrl(), out)
                .commentingOnPullRequests(store, clock));
        DataVersions data = new DataVersions(DataRoots.of(
                spec.dataRoots().stream().filter(r -> r.startsWith("/")).map(Path::of).toList(),
                spec.dataRoots().stream().filter(r -> !r.startsWith("/")).toList()));
        return new Server(store, dataDir, spec.repositories(), policy, access, env, clock, out, serving,
                dispatcher, listener -> pipeline(store, dataDir, out, listener, spec, trialSlots, dispatcher,
                        TrialEnvironment.built(env, spec.trialEnv().pass())).readingData(data), spec.retention(),
                data, spec.controller());
    }

    /** The installation's channels (and the console), through the store's outbox. */
    private Dispatcher dispatcher(Store store, Channels channels) {
        Courier courier = new Courier(store.outbox(), clock, Sleeper.system(), Courier.Retry.DEFAULT);
        return new Dispatcher(courier, store.outbox(), channels, clock, Dispatcher.WAIT);
    }

    /** The HTTP edge of {@code server} (not yet listening). */
    public WebServer web(Server server) {
        return new WebServer(server, env, clock);
    }
}
