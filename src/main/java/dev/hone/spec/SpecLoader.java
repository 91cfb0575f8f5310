package dev.hone.spec;

import dev.hone.source.Confined;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads {@code hone.yaml} (DESIGN §2) into a {@link Spec}. Every key is optional; an empty file is
 * {@link Spec#defaults(String)}. A file with mistakes throws {@link InvalidSpecException} listing all of them, each
 * with its line, column and key. A file that cannot be taken as one — a directory, over {@value #MAX_BYTES} bytes
 * (refused unread), not UTF-8, a link out of its repository — throws it too, saying so.
 */
public final class SpecLoader {

    /** The names Hone looks for in a repository, in order. */
    public static final List<String> FILE_NAMES = List.of("hone.yaml", "hone.yml");

    /** The largest configuration file read (1 MiB): a larger one is refused before it is read. */
    public static final long MAX_BYTES = 1 << 20;

    /**
     * The deepest nesting of mappings and lists a configuration file may have: far beyond any real one (hone.yaml
     * goes four deep), and a bound on the YAML library's recursion, which a few thousand {@code [} overflow.
     */
    static final int MAX_DEPTH = 64;

    private SpecLoader() {}

    /**
     * The repository's {@code hone.yaml} (else {@code hone.yml}), if it has one: whatever holds that name — a
     * directory or a link too, which {@link #read(Path, Path)} refuses.
     */
    public static Optional<Path> find(Path dir) {
        return FILE_NAMES.stream().map(dir::resolve).filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS))
                .findFirst();
    }

    /**
     * The text of {@code file}, the spec file {@link #find} found in the repository {@code dir}; problems name it by
     * its name in the repository.
     *
     * @throws InvalidSpecException when it leads out of the repository through a link, or cannot be read as
     *                              {@link #read(Path, Supplier)} says
     */
    public static String read(Path dir, Path file) {
        return read(dir, file, dir.relativize(file).toString());
    }

    private static String read(Path dir, Path file, String name) {
        try {
            Confined.file(dir, dir.relativize(file).toString(), "the checkout");
        } catch (Confined.LinkOutsideException e) {
            throw InvalidSpecException.of(name, "", e.reason());
        }
        return read(file, name, () -> InvalidSpecException.of(name, "", "no such file"));
    }

    /**
     * Reads {@code file}; messages name it as given.
     *
     * @param defaultName the project's name when the file has no {@code name:}, usually the directory's
     * @param env         the environment {@code ${VAR}} takes values from
     * @throws InvalidSpecException listing every problem, or saying why the file cannot be read
     */
    public static Spec load(Path file, String defaultName, Map<String, String> env) {
        Path absolute = file.toAbsolutePath().normalize();
        String text = read(absolute.getParent(), absolute, file.toString());
        return parse(text, file.toString(), defaultName, env);
    }

    /**
     * The text of {@code file}, a configuration file ({@code hone.yaml}, {@code hone-server.yaml}) named
     * {@code name} in messages: a regular file of at most {@value #MAX_BYTES} bytes of UTF-8. When it does not exist,
     * {@code missing} is thrown.
     */
    static String read(Path file, String name, Supplier<InvalidSpecException> missing) {
        try {
            if (Files.isDirectory(file)) {
                throw InvalidSpecException.of(name, "", "is a directory, not a file — make it a file, or rename "
                        + "the directory");
            }
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw InvalidSpecException.of(name, "", "is not a regular file — make it a file");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw InvalidSpecException.of(name, "", String.format(Locale.ROOT, "is %.1f MiB, more than the "
                        + "1 MiB a configuration file may have, and was not read — keep only settings in it (data "
                        + "belongs in files the training reads)", size / (double) (1 << 20)));
            }
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw missing.get();
        } catch (MalformedInputException e) {
            throw InvalidSpecException.of(name, "", "is not UTF-8 text — save it as UTF-8");
        } catch (IOException e) {
            throw InvalidSpecException.of(name, "", "cannot be read: " + e.getMessage());
        }
    }

    /**
     * Reads {@code yamlText}, naming it {@code fileNameForMessages} in problems.
     *
     * @throws InvalidSpecException listing every problem
     */
    public static Spec parse(String yamlText, String fileNameForMessages, String defaultName,
                             Map<String, String> env) {
        return parse(yamlText, fileNameForMessages, defaultName, env, name -> true);
    }

    /**
     * Reads {@code yamlText} as {@code hone serve} does: {@code ${VAR}} in {@code train.env}, {@code train.command}
     * or {@code serve.command} — what reaches the programs — is a problem unless {@code handed} lets VAR through.
     *
     * @throws InvalidSpecException listing every problem
     */
    public static Spec parse(String yamlText, String fileNameForMessages, String defaultName,
                             Map<String, String> env, Predicate<String> handed) {
        Objects.requireNonNull(defaultName, "defaultName");
        Problems problems = new Problems(fileNameForMessages);
        Node root = compose(yamlText, fileNameForMessages, problems);
        Spec spec = SpecReader.read(YamlValue.root(root, problems, new Interpolation(env)),
                ProjectNames.of(defaultName), handed);
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
            Refusal refusal = refusal(settings, text);
            if (refusal != null) {
                add(problems, refusal.at(), refusal.message());
                return null;
            }
            return new Compose(settings).composeString(text).orElse(null);
        } catch (MarkedYamlEngineException e) {
            add(problems, e.getProblemMark(), syntaxMessage(e));
        } catch (YamlEngineException e) {
            problems.add(1, 1, "", "not valid YAML: " + e.getMessage());
        }
        return null;
    }

    /**
     * What the YAML library would fail on when composing the document, found on its stream of events (which takes no
     * recursion); null when nothing is. The library composes nested collections by recursion, which a few thousand
     * {@code [} overflow, and refuses with an {@link IllegalArgumentException} a tag that is empty or has spaces
     * around it ({@code !x%09} decodes to one).
     */
    private static Refusal refusal(LoadSettings settings, String text) {
        int depth = 0;
        for (Event event : new Parse(settings).parseString(text)) {
            Optional<String> tag = event instanceof ScalarEvent scalar ? scalar.getTag()
                    : event instanceof CollectionStartEvent collection ? collection.getTag() : Optional.empty();
            if (tag.isPresent() && (tag.get().isEmpty() || tag.get().trim().length() != tag.get().length())) {
                return new Refusal(event.getStartMark(), "not valid YAML: the tag \"" + printable(tag.get())
                        + "\" is empty or has spaces around it — remove the tag");
            }
            if (event instanceof CollectionStartEvent && ++depth > MAX_DEPTH) {
                return new Refusal(event.getStartMark(), "mappings and lists are nested more than " + MAX_DEPTH
                        + " deep here — a configuration needs only a few levels");
            }
            if (event instanceof CollectionEndEvent) {
                depth--;
            }
        }
        return null;
    }

    private record Refusal(Optional<Mark> at, String message) {}

    /** {@code tag} with its control characters written as YAML escapes them in a tag ({@code %09}). */
    private static String printable(String tag) {
        StringBuilder s = new StringBuilder();
        tag.codePoints().forEach(c -> s.append(c < 0x20 || c == 0x7f ? String.format(Locale.ROOT, "%%%02X", c)
                : Character.toString(c)));
        return s.toString();
    }

    private static void add(Problems problems, Optional<Mark> at, String message) {
        problems.add(at.map(m -> m.getLine() + 1).orElse(1), at.map(m -> m.getColumn() + 1).orElse(1), "", message);
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
