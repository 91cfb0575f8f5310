package dev.hone.spec;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads {@code hone.yaml} (DESIGN §2) into a {@link Spec}. Every key is optional; an empty file is
 * {@link Spec#defaults(String)}. A file with mistakes throws {@link InvalidSpecException} listing all of them, each
 * with its line, column and key.
 */
public final class SpecLoader {

    /** The names Hone looks for in a repository, in order. */
    public static final List<String> FILE_NAMES = List.of("hone.yaml", "hone.yml");

    private SpecLoader() {}

    /** The repository's {@code hone.yaml} (else {@code hone.yml}), if it has one. */
    public static Optional<Path> find(Path dir) {
        return FILE_NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst();
    }

    /**
     * Reads {@code file}; messages name it as given.
     *
     * @param defaultName the project's name when the file has no {@code name:}, usually the directory's
     * @param env         the environment {@code ${VAR}} takes values from
     * @throws InvalidSpecException listing every problem, or saying why the file cannot be read
     */
    public static Spec load(Path file, String defaultName, Map<String, String> env) {
        String text = read(file, () -> InvalidSpecException.of(file.toString(), "", "no such file"));
        return parse(text, file.toString(), defaultName, env);
    }

    /** The text of {@code file}; when it does not exist, {@code missing} is thrown. */
    static String read(Path file, Supplier<InvalidSpecException> missing) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw missing.get();
        } catch (MalformedInputException e) {
            throw InvalidSpecException.of(file.toString(), "", "is not UTF-8 text — save it as UTF-8");
        } catch (IOException e) {
            throw InvalidSpecException.of(file.toString(), "", "cannot be read: " + e.getMessage());
        }
    }

    /**
     * Reads {@code yamlText}, naming it {@code fileNameForMessages} in problems.
     *
     * @throws InvalidSpecException listing every problem
     */
    public static Spec parse(String yamlText, String fileNameForMessages, String defaultName,
                             Map<String, String> env) {
        Objects.requireNonNull(defaultName, "defaultName");
        Problems problems = new Problems(fileNameForMessages);
        Node root = compose(yamlText, fileNameForMessages, problems);
        Spec spec = SpecReader.read(YamlValue.root(root, problems, new Interpolation(env)), defaultName);
        problems.throwIfAny();
        return spec;
    }

    /**
     * A run's spec from its snapshot ({@code yamlText} as stored with the run; null when the run had no
     * {@code hone.yaml}: the defaults); empty when the snapshot no longer loads (an environment variable it needs is
     * gone, say).
     */
    public static Optional<Spec> snapshot(String yamlText, String project, Map<String, String> env) {
        if (yamlText == null) {
            return Optional.of(Spec.defaults(project));
        }
        try {
            return Optional.of(parse(yamlText, "hone.yaml", project, env));
        } catch (InvalidSpecException e) {
            return Optional.empty();
        }
    }

    /** The document's node tree, each node with its position; null when empty or not YAML (a problem then). */
    static Node compose(String text, String fileName, Problems problems) {
        LoadSettings settings = LoadSettings.builder().setLabel(fileName).setSchema(new CoreSchema()).build();
        try {
            return new Compose(settings).composeString(text).orElse(null);
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> at = e.getProblemMark();
            problems.add(at.map(m -> m.getLine() + 1).orElse(1), at.map(m -> m.getColumn() + 1).orElse(1), "",
                    syntaxMessage(e));
        } catch (YamlEngineException e) {
            problems.add(1, 1, "", "not valid YAML: " + e.getMessage());
        }
        return null;
    }

    private static String syntaxMessage(MarkedYamlEngineException e) {
        StringBuilder s = new StringBuilder("not valid YAML: ").append(e.getProblem());
        if (e.getContext() != null && !e.getContext().isBlank()) {
            s.append(" (").append(e.getContext());
            e.getContextMark().ifPresent(m -> s.append(" at line ").append(m.getLine() + 1)
                    .append(", column ").append(m.getColumn() + 1));
            s.append(')');
        }
        if (e.getProblem().contains("<block end>")) {
            s.append(" — check the indentation: the keys of one mapping start in the same column");
        } else if (e.getProblem().contains("mapping values are not allowed")) {
            s.append(" — quote a value that contains \": \"");
        }
        return s.toString();
    }
}
