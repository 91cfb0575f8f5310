package dev.hone.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a training program sees of its trial (DESIGN §3): {@code HONE_PARAM_<NAME>} variables, the parameters as JSON
 * in {@code $HONE_PARAMS}, {@code $HONE_OUTPUT}, {@code $HONE_TRIAL}, {@code $HONE_RUN}, and placeholders in the
 * command. Parameter values are Long, Double, String or Boolean.
 */
public final class TrialContract {

    /** {@code {name}}: a single pair of braces around a name; {@code {{name}}} is left alone. */
    private static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\{)\\{([^{}\\s]+)}(?!})");
    /** What needs no quoting in a shell word (Python's shlex.quote keeps the same characters). */
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrialContract() {}

    /** {@code learning-rate} → {@code HONE_PARAM_LEARNING_RATE}. */
    public static String envName(String paramName) {
        return "HONE_PARAM_" + paramName.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * The variables a trial adds to its session's environment.
     *
     * @throws IllegalArgumentException when two parameter names give the same variable
     */
    public static Map<String, String> environment(int trial, String runId, Path paramsFile, Path outputDir,
                                                  Map<String, Object> params) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> namedBy = new LinkedHashMap<>();
        params.forEach((name, value) -> {
            String variable = envName(name);
            String other = namedBy.putIfAbsent(variable, name);
            if (other != null) {
                throw new IllegalArgumentException("parameters " + other + " and " + name + " both give "
                        + variable + ": rename one of them");
            }
            env.put(variable, format(value));
        });
        env.put("HONE_PARAMS", paramsFile.toString());
        env.put("HONE_OUTPUT", outputDir.toString());
        env.put("HONE_TRIAL", Integer.toString(trial));
        env.put("HONE_RUN", runId);
        return env;
    }

    /**
     * The variables of a trial given GPUs: {@code CUDA_VISIBLE_DEVICES}, their UUIDs comma-separated (CUDA numbers
     * them from 0 in that order), and {@code HONE_GPUS}, how many. None for a trial given none (its environment
     * stays as it was).
     */
    public static Map<String, String> gpuEnvironment(List<Gpu> gpus) {
        if (gpus.isEmpty()) {
            return Map.of();
        }
        return Map.of("CUDA_VISIBLE_DEVICES", String.join(",", gpus.stream().map(Gpu::uuid).toList()),
                "HONE_GPUS", Integer.toString(gpus.size()));
    }

    /**
     * Expands the placeholders of a command: {@code {name}} of a declared parameter becomes its value,
     * {@code {args}} becomes {@code --name=value} for every parameter, in order. Values are quoted for the shell
     * where they need it, so a placeholder must stand outside quotes. Anything else in braces is left as it is (a
     * Python f-string, a {@code ${VAR}}), and so is a doubled {@code {{name}}}.
     */
    public static String expand(String command, Map<String, Object> params) {
        Matcher matcher = PLACEHOLDER.matcher(command);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement;
            if (name.equals("args")) {
                replacement = args(params);
            } else if (params.containsKey(name)) {
                replacement = shellQuote(format(params.get(name)));
            } else {
                replacement = matcher.group();
            }
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }

    /** The JSON object written to {@code $HONE_PARAMS}: {@code {"lr": 0.01, "layers": 3}}. */
    public static String paramsJson(Map<String, Object> params) {
        try {
            return JSON.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("parameters cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A value as the program reads it: 3, 0.01, 3.0, 1.0E-5, adam, true (Java's shortest repr for doubles). */
    static String format(Object value) {
        return value == null ? "" : value.toString();
    }

    /** One shell word for {@code value}: as it is when safe, else single-quoted. */
    static String shellQuote(String value) {
        if (SHELL_SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    private static String args(Map<String, Object> params) {
        StringBuilder args = new StringBuilder();
        params.forEach((name, value) -> {
            if (!args.isEmpty()) {
                args.append(' ');
            }
            args.append(shellQuote("--" + name + "=" + format(value)));
        });
        return args.toString();
    }
}
