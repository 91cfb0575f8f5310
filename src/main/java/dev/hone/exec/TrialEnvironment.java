package dev.hone.exec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What of Hone's own environment the commands of a run start from on this machine (the local executor; a container
 * starts from its image's). Two ways:
 * <ul>
 *   <li>{@link #built} ({@code hone serve}): a trial runs a pushed repository's code, so it is given only
 *   {@value #ALLOWED_TEXT}, the proxy variables when Hone has them, and the names the installation lists in
 *   {@code trial_env.pass} — never the server's API token, passwords or webhook secrets;</li>
 *   <li>{@link #inherited} ({@code hone run}): a developer's own code on their own machine keeps their environment
 *   (virtualenv, CUDA paths), less Hone's own variables: {@code HONE_*} and those its configuration refers to.</li>
 * </ul>
 * The trial contract's {@code HONE_*} variables and {@code train.env} come on top, from the session and the request.
 */
public final class TrialEnvironment {

    static final String ALLOWED_TEXT = "PATH, HOME, LANG, LC_*, TZ and TMPDIR";
    private static final Set<String> ALLOWED = Set.of("PATH", "HOME", "LANG", "LC_*", "TZ", "TMPDIR", "http_proxy",
            "https_proxy", "no_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY");
    /** The prefix of Hone's own variables: its settings ({@code HONE_API_TOKEN}, …) and the trial contract's. */
    private static final String HONE = "HONE_";

    private final Map<String, String> variables;
    private final List<String> passed;

    private TrialEnvironment(Map<String, String> variables, List<String> passed) {
        this.variables = Collections.unmodifiableMap(new TreeMap<>(variables));
        this.passed = passed;
    }

    /**
     * {@code hone serve}'s: of {@code env}, only the allow-list and the names (or {@code NAME*} prefixes) of
     * {@code pass} — never a {@code HONE_*} variable, which may hold a setting of hone-server.yaml and its secrets
     * ({@code HONE_API_TOKEN}, {@code HONE_STORE}), whatever {@code pass} says.
     */
    public static TrialEnvironment built(Map<String, String> env, Collection<String> pass) {
        List<String> passed = new ArrayList<>(ALLOWED);
        passed.addAll(pass);
        Map<String, String> kept = env.entrySet().stream()
                .filter(e -> !e.getKey().startsWith(HONE))
                .filter(e -> passed.stream().anyMatch(name -> matches(name, e.getKey())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        return new TrialEnvironment(kept, List.copyOf(passed));
    }

    /**
     * {@code hone run}'s: {@code env} without {@code HONE_*} and without {@code honesOwn}, the variables Hone's
     * configuration takes values from.
     */
    public static TrialEnvironment inherited(Map<String, String> env, Collection<String> honesOwn) {
        Map<String, String> kept = env.entrySet().stream()
                .filter(e -> !e.getKey().startsWith(HONE) && !honesOwn.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        return new TrialEnvironment(kept, null);
    }

    /** The variables a command starts from. */
    public Map<String, String> variables() {
        return variables;
    }

    /**
     * True when a run may hand {@code name}'s value to its programs ({@code ${NAME}} in {@code train.env} or a
     * command): always for an inherited environment, else only when the allow-list or {@code trial_env.pass}
     * names it, and never a {@code HONE_*} variable — so a pushed {@code hone.yaml} cannot take the server's
     * secrets into its trials.
     */
    public boolean passes(String name) {
        return passed == null || !name.startsWith(HONE) && passed.stream().anyMatch(p -> matches(p, name));
    }

    private static boolean matches(String pattern, String name) {
        return pattern.endsWith("*") ? name.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(name);
    }

    /** Which names, never their values. */
    @Override
    public String toString() {
        return "TrialEnvironment[" + (passed == null ? "inherited" : "built") + ", " + variables.keySet() + "]";
    }
}
