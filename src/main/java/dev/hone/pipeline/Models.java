package dev.hone.pipeline;

import dev.hone.data.DataDir;
import dev.hone.data.RunDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The project's current model: the best trial's {@code $HONE_OUTPUT}, copied to the data directory's
 * {@link DataDir#model} when a run succeeds (replacing the previous one as a whole). Links in the output are copied
 * as links, never followed: a trial cannot have a file of this machine copied into its model.
 */
final class Models {

    private Models() {}

    static Path keepBest(RunDir runDir, int trial, String project) {
        Path source = runDir.trial(trial).output();
        DataDir data = runDir.data();
        Path model = data.model(project);
        Path staging = data.stagedModel(project);
        try {
            DataDir.delete(staging);
            copyTree(source, staging);
            DataDir.delete(model);
            Files.move(staging, model, StandardCopyOption.ATOMIC_MOVE);
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the best model in " + model + ": " + e.getMessage(), e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else { // a link stays a link: what it points to on this machine is never copied
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }
}
