package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
