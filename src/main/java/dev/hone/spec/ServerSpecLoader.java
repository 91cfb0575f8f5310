package dev.hone.spec;

import java.nio.file.Path;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code hone-server.yaml} (DESIGN §2b) into a {@link ServerSpec}, with the same checks as {@code hone.yaml}:
 * every key is optional, an empty file is {@link #defaults}, a {@code HONE_<PATH>} variable sets a key over the file
 * ({@link EnvOverrides}; docs/configuration.md lists them), and a file with mistakes throws
 * {@link InvalidSpecException} listing all of them, each with its line, column and key. Secrets never appear in a
 * message: a secret's problem shows its key and, when it was written as {@code ${VAR}}, the reference.
 */
public final class ServerSpecLoader {

    /** The file's conventional name, which {@code --config} usually points at. */
    public static final String FILE_NAME = "hone-server.yaml";

    private static final String ADVICE = " and start Hone again.";

    private ServerSpecLoader() {}

    /**
     * Reads {@code file}, given explicitly (with {@code --config}); messages name it as given.
     *
     * @param env the environment {@code ${VAR}} takes values from, and HOME for a leading {@code ~}
     * @throws InvalidSpecException listing every problem, or saying why the file cannot be read
     */
    public static ServerSpec load(Path file, Map<String, String> env) {
        String text = SpecLoader.read(file, file.toString(), () -> InvalidSpecException.of(FILE_NAME, "",
                "file not found: " + file + ": create it or drop --config"));
        return parse(text, file.toString(), env);
    }

    /**
     * Reads {@code yamlText}, naming it {@code fileNameForMessages} in problems.
     *
     * @throws InvalidSpecException listing every problem
     */
    public static ServerSpec parse(String yamlText, String fileNameForMessages, Map<String, String> env) {
        Problems problems = new Problems(fileNameForMessages, ADVICE);
        Interpolation interpolation = new Interpolation(env);
        Node root = EnvOverrides.apply(SpecLoader.compose(yamlText, fileNameForMessages, problems), env, problems,
                interpolation);
        ServerSpec spec = ServerReader.read(YamlValue.root(root, problems, interpolation), env, interpolation);
        problems.throwIfAny();
        return spec;
    }

    /**
     * The settings of an installation without a file: data in {@code $HOME/.hone} (null when HOME is not in
     * {@code env}), SQLite, 127.0.0.1:8080, no token, executor auto, 2 runs (of any project) and 4 trials at once,
     * a burst of pushes to one branch coalesced to its newest commit, no repositories, no channels — each as the
     * {@code HONE_<PATH>} variables of {@code env} set it ({@link EnvOverrides}).
     *
     * @throws InvalidSpecException when a variable's value is not what its key takes
     */
    public static ServerSpec defaults(Map<String, String> env) {
        return parse("", FILE_NAME + " (none given)", env);
    }
}
