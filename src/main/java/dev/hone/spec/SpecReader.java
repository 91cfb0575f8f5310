package dev.hone.spec;

import dev.hone.tune.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Reads a composed {@code hone.yaml} into a {@link Spec}, section by section, recording every problem. */
final class SpecReader {

    static final List<String> KEYS = List.of("name", "train", "environment", "metric", "tune", "notify", "serve",
            "data");
    /** What Katib and others call some sections. */
    private static final Map<String, String> OTHER_NAMES = Map.of("objective", "metric", "notifications", "notify",
            "tuning", "tune");
    private static final Map<String, String> TRAIN_OTHER_NAMES = Map.of("cmd", "command", "entrypoint", "command",
            "script", "command", "variables", "env", "env_vars", "env", "environment", "env");

    /** The most runs {@code metric.confirm} may take over a trial that reached the target. */
    static final int MAX_CONFIRM_REPEATS = 20;
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final long MIN_MEMORY = 4L * 1024 * 1024;

    private SpecReader() {}

    /**
     * @param handed whether a variable of Hone's environment may be handed to the training and serving programs
     *               ({@code ${VAR}} in train.env, train.command, serve.command)
     */
    static Spec read(YamlValue root, String defaultName, Predicate<String> handed) {
        Spec defaults = Spec.defaults(defaultName);
        YamlMapping m = root.mapping(KEYS, OTHER_NAMES);
        Set<String> secrets = new LinkedHashSet<>();
        Spec.Serve serve = serve(m.get("serve"), secrets, handed);
        Spec.Train train = train(m.get("train"), secrets, handed);
        YamlValue nameValue = m.get("name");
        String name = nameValue.string().orElse(defaultName);
        if (!nameValue.isMissing()) {
            ProjectNames.problem(name).ifPresent(nameValue::problem);
        }
        YamlValue metricValue = m.get("metric");
        Spec.Metric metric = MetricSection.read(metricValue, defaults.metric());
        Spec.Tune tune = TuneReader.read(m.get("tune"), defaults.tune(), train.command());
        if (!metric.further().isEmpty() && tune.strategy() == Strategy.BAYES) {
            metricValue.problem("a list of metrics needs a sampler that models several, but tune.strategy is bayes,"
                    + " which models one — use strategy: auto or tpe (multi-objective TPE), random or grid");
        }
        return new Spec(
                name,
                train,
                environment(m.get("environment"), defaults.environment()),
                metric,
                tune,
                NotifyReader.read(m.get("notify")),
                serve,
                DataReader.read(m.get("data")));
    }

    /** A duration longer than zero, or null when not set. */
    static Duration positiveDuration(YamlValue v) {
        Duration d = v.duration().orElse(null);
        if (d != null && (d.isZero() || d.isNegative())) {
            v.problem("must be longer than 0, got " + v.got());
        }
        return d;
    }

    /** The train section; {@code secrets} holds those the serve section found and gets this section's added. */
    private static Spec.Train train(YamlValue v, Set<String> secrets, Predicate<String> handed) {
        YamlMapping m = v.mapping(List.of("command", "timeout", "env"), TRAIN_OTHER_NAMES);
        YamlValue commandValue = m.get("command");
        String command = commandValue.string().orElse(null);
        handedOnly(commandValue, handed);
        secrets.addAll(referencedSecrets(commandValue));
        Duration timeout = positiveDuration(m.get("timeout"));
        Map<String, String> env = new LinkedHashMap<>();
        for (YamlValue variable : m.get("env").mappingOf("variable names to values").entries()) {
            String name = variable.name();
            if (!ENV_NAME.matcher(name).matches()) {
                variable.problemAtKey("is not a valid environment variable name — use letters, digits and _, "
                        + "and do not start with a digit");
            } else if (name.startsWith("HONE_")) {
                variable.problemAtKey("is reserved: Hone sets HONE_* variables for each trial — choose another name");
            }
            handedOnly(variable, handed);
            if (variable.isMissing()) {
                env.put(name, "");
            } else {
                variable.text().ifPresent(value -> {
                    env.put(name, value);
                    secrets.addAll(secrets(variable, value));
                });
            }
        }
        return new Spec.Train(command, timeout, Collections.unmodifiableMap(env), secrets);
    }

    /** A problem for each variable {@code v} takes from Hone's environment that may not be handed to programs. */
    private static void handedOnly(YamlValue v, Predicate<String> handed) {
        v.references().stream().distinct().filter(handed.negate()).forEach(name -> v.problem("takes ${" + name
                + "} from Hone's environment, which hone serve does not pass to trials: list " + name
                + " in trial_env.pass of hone-server.yaml, or leave it out"));
    }

    /**
     * What of {@code train.env}'s {@code variable} (expanded to {@code value}) must not appear in the training's
     * output. Only what comes from Hone's environment is secret, so a value without {@code ${VAR}} never is. When
     * the entry's name or a referenced variable's name says secret, the whole value is, and so is each referenced
     * variable's own value when its name, or the entry's, says so ({@code DB_URL: "postgres://u:${DB_PASSWORD}@db"}
     * masks the password printed alone too). Values shorter than {@value SecretNames#MIN_LENGTH} are left out.
     */
    private static List<String> secrets(YamlValue variable, String value) {
        List<String> references = variable.references();
        boolean secretName = SecretNames.saysSecret(variable.name());
        boolean secretValue = secretName && !references.isEmpty();
        List<String> found = new ArrayList<>();
        for (String reference : references) {
            if (secretName || SecretNames.saysSecret(reference)) {
                secretValue = true;
                variable.environment(reference).ifPresent(found::add);
            }
        }
        if (secretValue) {
            found.add(value);
        }
        return found.stream().filter(secret -> secret.length() >= SecretNames.MIN_LENGTH).toList();
    }

    /**
     * The values of the variables a command refers to under a name that says secret
     * ({@code command: python3 main.py --token ${HF_TOKEN}}): the command line is the program's to print.
     */
    private static List<String> referencedSecrets(YamlValue command) {
        return command.references().stream().filter(SecretNames::saysSecret)
                .flatMap(name -> command.environment(name).stream())
                .filter(secret -> secret.length() >= SecretNames.MIN_LENGTH).toList();
    }

    private static Spec.Environment environment(YamlValue v, Spec.Environment defaults) {
        YamlMapping m = v.mapping(List.of("executor", "image", "dockerfile", "resources", "network", "kubernetes",
                "slurm"));
        String image = m.get("image").string().orElse(defaults.image());
        YamlValue dockerfile = m.get("dockerfile");
        String dockerfileName = dockerfile.string().orElse(null);
        if (dockerfileName != null && !image.equals("auto")) {
            dockerfile.problem("cannot be used together with image: " + image
                    + " — the dockerfile builds the image; remove one of them");
        }
        YamlMapping resources = m.get("resources").mapping(List.of("cpus", "memory", "gpus"));
        YamlValue cpus = resources.get("cpus");
        Double cpuCount = cpus.number().orElse(null);
        if (cpuCount != null && cpuCount <= 0) {
            cpus.problem("must be greater than 0, got " + cpus.got());
        }
        YamlValue memory = resources.get("memory");
        Long memoryBytes = memory.size().orElse(null);
        if (memoryBytes != null && memoryBytes < MIN_MEMORY) {
            memory.problem("must be at least " + Units.formatSize(MIN_MEMORY) + ", got " + memory.got());
        }
        return new Spec.Environment(
                m.get("executor").oneOf(Spec.Executor.class).orElse(defaults.executor()),
                image, dockerfileName, cpuCount, memoryBytes,
                m.get("network").oneOf(Spec.Network.class).orElse(defaults.network()),
                resources.get("gpus").intIn(0, Integer.MAX_VALUE, "an integer of 0 or more").orElse(defaults.gpus()),
                KubernetesReader.read(m.get("kubernetes")), slurm(m.get("slurm")));
    }

    /** {@code environment.slurm}: sbatch's options; each extra argument must be an option ({@code --name=value}). */
    private static Spec.Slurm slurm(YamlValue v) {
        YamlMapping m = v.mapping(List.of("partition", "account", "qos", "constraint", "extra_args"));
        List<String> extra = new ArrayList<>();
        for (YamlValue item : m.get("extra_args").items()) {
            item.string().ifPresent(arg -> {
                if (arg.startsWith("-")) {
                    extra.add(arg);
                } else {
                    item.problem("must be an sbatch option such as --nice=10, got " + item.got());
                }
            });
        }
        return new Spec.Slurm(m.get("partition").string().orElse(null), m.get("account").string().orElse(null),
                m.get("qos").string().orElse(null), m.get("constraint").string().orElse(null), extra);
    }

    /** Null when the file has no {@code serve} block. */
    /** The serve section, or null; the secrets its command refers to go into {@code secrets}. */
    private static Spec.Serve serve(YamlValue v, Set<String> secrets, Predicate<String> handed) {
        if (v.isMissing()) {
            return null;
        }
        YamlMapping m = v.mapping(List.of("command", "port", "health", "restart", "promote", "probation"));
        m.require("command", "the program that serves the model, e.g. command: python3 serve.py");
        handedOnly(m.get("command"), handed);
        secrets.addAll(referencedSecrets(m.get("command")));
        YamlValue health = m.get("health");
        String healthPath = health.string().orElse("/health");
        if (!healthPath.startsWith("/")) {
            health.problem("must be a path starting with /, got " + health.got());
        }
        YamlMapping restart = m.get("restart").mapping(List.of("policy", "max_restarts", "max_backoff"));
        Duration maxBackoff = positiveDuration(restart.get("max_backoff"));
        return new Spec.Serve(
                m.get("command").string().orElse(null),
                m.get("port").intIn(1, 65535, "a port number between 1 and 65535").orElse(8000),
                healthPath,
                new Spec.Restart(
                        restart.get("policy").oneOf(Spec.RestartPolicy.class).orElse(Spec.RestartPolicy.ON_FAILURE),
                        restart.get("max_restarts").intIn(0, Integer.MAX_VALUE, "an integer, 0 or more")
                                .orElse(5),
                        maxBackoff == null ? Spec.Restart.DEFAULT_MAX_BACKOFF : maxBackoff),
                nonNegative(m.get("promote").mapping(List.of("min_improvement")).get("min_improvement"),
                        "how much better than the served model a run must be to replace it, e.g. 0.002"),
                positiveDuration(m.get("probation")));
    }

    /** A number of 0 or more, else 0 when absent; a negative or non-finite one is a problem that says {@code what}. */
    static double nonNegative(YamlValue v, String what) {
        Optional<Double> n = v.number();
        if (n.isPresent() && !(n.get() >= 0 && Double.isFinite(n.get()))) {
            v.problem("must be a number, 0 or more (" + what + "), got " + v.got());
            return 0;
        }
        return n.orElse(0.0);
    }
}
