package dev.hone.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data DIR}, taken by every command that reads or writes the store. */
final class DataOption {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Where Hone keeps its store, logs and models (default: ~/.hone).")
    Path data;
}
