package dev.hone.detect;

import dev.hone.error.HoneException;
import dev.hone.data.DataDir;
import dev.hone.source.Confined;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the entrypoint and the framework of a checkout by reading its Python files (never running them; never one
 * that a link leads out of the checkout to).
 */
public final class Detector {

    /** Entrypoints in order of preference. */
    public static final List<String> ENTRYPOINTS = List.of("main.py", "train.py");

    private static final Pattern IMPORT = Pattern.compile(
            "^\\s*(?:from\\s+([A-Za-z_][\\w.]*)\\s+import\\b|import\\s+([A-Za-z_][\\w.]*(?:\\s+as\\s+\\w+)?"
                    + "(?:\\s*,\\s*[A-Za-z_][\\w.]*(?:\\s+as\\s+\\w+)?)*))",
            Pattern.MULTILINE);
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", ".venv", "venv", "__pycache__", "node_modules",
            DataDir.DEFAULT_NAME);
    private static final int MAX_DEPTH = 4;

    private Detector() {}

    public static Detection detect(Path checkout) {
        if (!Files.isDirectory(checkout)) {
            throw new HoneException("not a directory: " + checkout + ": give the directory that holds main.py");
        }
        String entrypoint = ENTRYPOINTS.stream().filter(f -> Files.isRegularFile(checkout.resolve(f)))
                .findFirst().orElse(null);
        Set<String> imports = imports(checkout);
        return new Detection(entrypoint, frameworkOf(imports), imports);
    }

    static Framework frameworkOf(Set<String> imports) {
        for (Framework f : Framework.values()) {
            if (imports.stream().anyMatch(f::owns)) {
                return f;
            }
        }
        return Framework.PYTHON;
    }

    static Set<String> imports(Path checkout) {
        Set<String> modules = new TreeSet<>();
        try (Stream<Path> files = Files.walk(checkout, MAX_DEPTH)) {
            files.filter(p -> p.toString().endsWith(".py"))
                    .filter(p -> !skipped(checkout.relativize(p)))
                    .filter(p -> !Confined.leaves(checkout, p))
                    .forEach(p -> modules.addAll(importsOf(read(p))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return modules;
    }

    static Set<String> importsOf(String source) {
        Set<String> modules = new TreeSet<>();
        Matcher m = IMPORT.matcher(source);
        while (m.find()) {
            if (m.group(1) != null) {
                modules.add(topLevel(m.group(1)));
            } else {
                for (String part : m.group(2).split(",")) {
                    modules.add(topLevel(part.trim().split("\\s+")[0]));
                }
            }
        }
        modules.remove("");
        return modules;
    }

    private static boolean skipped(Path relative) {
        for (Path part : relative) {
            if (SKIPPED_DIRS.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }

    private static String topLevel(String module) {
        int dot = module.indexOf('.');
        return dot < 0 ? module : module.substring(0, dot);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
