package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.App;
import dev.hone.server.QueuePolicy;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.ServerSpecLoader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

    @TempDir
    Path home;

    @Test
    void anInvalidSettingsFileStopsItBeforeItStartsWithEveryProblem() throws Exception {
        Cli cli = new Cli(home);
        Path config = Files.writeString(home.resolve("hone-server.yaml"), """
                listen: 127.0.0.1:99999
                repositories:
                  - url: github.com/acme/digits
                    pol: 60s
                """);
        assertThat(cli.run("serve", "--config", config.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("hone-server.yaml:1:9", "listen", "hone-server.yaml:3:", "url",
                "hone-server.yaml:4:", "pol");
    }

    @Test
    void aBadListenFlagIsAUsageError() {
        Cli cli = new Cli(home);
        assertThat(cli.run("serve", "--listen", "localhost:http")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: --listen must be HOST:PORT or :PORT with a port up to 65535, got "
                + "localhost:http\n");
    }

    @Test
    void anUnknownLogFormatIsAUsageErrorAndSoIsOneFromTheEnvironment() {
        Cli cli = new Cli(home);
        assertThat(cli.run("serve", "--log-format", "xml")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: --log-format must be one of text | json, got xml\n");

        cli.env.put("HONE_LOG_FORMAT", "jsn");
        assertThat(cli.run("serve")).isEqualTo(2);
        assertThat(cli.err()).contains("environment variable HONE_LOG_FORMAT: log.format: must be one of text | json,"
                + " got \"jsn\" — did you mean \"json\"?");
    }

    @Test
    void runsPerProjectBeyondTheInstallationsRunsIsAUsageError() {
        Cli cli = new Cli(home);
        assertThat(cli.run("serve", "--runs-per-project", "3")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: --runs-per-project must be between 1 and limits.runs (2), got 3\n");
        assertThat(cli.run("serve", "--runs-per-project", "0")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: --runs-per-project must be between 1 and limits.runs (2), got 0\n");
    }

    @Nested
    class TheQueuePolicy {

        static final ServerSpec SETTINGS = ServerSpecLoader.parse("""
                limits: {runs: 3, trials: 6, runs_per_project: 1}
                queue: {coalesce: false}
                """, "hone-server.yaml", Map.of());

        QueuePolicy policy(ServerSpec spec, String... flags) {
            PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
            ServeCommand command = new ServeCommand(new App(Map.of(), nowhere, nowhere, InstantSource.system(),
                    new Random(1)));
            new CommandLine(command).parseArgs(flags);
            return command.policy(spec);
        }

        @Test
        void withoutSettingsOrFlagsEveryRunMayBeOfOneProjectAndPushesCoalesce() {
            assertThat(policy(ServerSpecLoader.defaults(Map.of()))).isEqualTo(new QueuePolicy(2, 2, true));
        }

        @Test
        void theSettingsFileOverridesTheDefaults() {
            assertThat(policy(SETTINGS)).isEqualTo(new QueuePolicy(3, 1, false));
        }

        @Test
        void flagsOverrideTheSettingsFile() {
            assertThat(policy(SETTINGS, "--runs-per-project", "2", "--coalesce"))
                    .isEqualTo(new QueuePolicy(3, 2, true));
            assertThat(policy(ServerSpecLoader.defaults(Map.of()), "--no-coalesce"))
                    .isEqualTo(new QueuePolicy(2, 2, false));
        }
    }
}
