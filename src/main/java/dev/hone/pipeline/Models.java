package dev.hone.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.eclipse.jgit.util.FileUtils;

/**
 * The project's current model: the best trial's {@code $HONE_OUTPUT}, copied to
 * {@code <data>/projects/<name>/model} when a run succeeds (replacing the previous one as a whole).
 */
final class Models {

    private Models() {}

    static Path keepBest(Path runDir, int trial, String project) {
        Path source = TrialExecution.trialDir(runDir, trial).resolve("output");
        Path projectDir = runDir.getParent().getParent().resolve("projects").resolve(safe(project));
        Path model = projectDir.resolve("model");
        Path staging = projectDir.resolve("model.new");
        try {
            deleteTree(staging);
            copyTree(source, staging);
            deleteTree(model);
            Files.move(staging, model, StandardCopyOption.ATOMIC_MOVE);
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the best model in " + model + ": " + e.getMessage(), e);
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
    }
}
