package dev.hone.cli;

import dev.hone.App;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code --data DIR}: the installation a command works on, as {@code hone serve} runs it. */
final class InstallationOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Installation settings (hone-server.yaml).")
    Path config;

    @Mixin
    DataOption data;

    /** The settings these options name ({@link Settings#load}). */
    Settings settings(App app) {
        return Settings.load(app, config, data.data);
    }
}
