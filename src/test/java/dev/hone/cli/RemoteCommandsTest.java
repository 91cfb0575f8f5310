package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.server.Serve;
import dev.hone.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reading commands with {@code --server URL} against a real {@code hone serve} over a store {@code hone run}
 * filled: the same output as read from the store, and what they say when the server cannot be used.
 */
class RemoteCommandsTest {

    @TempDir
    Path home;

    @Test
    void theReadingCommandsOnTheServerPrintWhatTheStorePrints() throws Exception {
        Path data = home.resolve("data");
        Path dir = Files.createDirectories(home.resolve("proj"));
        Files.writeString(dir.resolve("main.py"), "print('accuracy=0.8')\n");
        Files.writeString(dir.resolve("hone.yaml"), "name: proj\nmetric: {name: accuracy, target: 0.5}\n");
        Cli cli = new Cli(home);
        assertThat(cli.run("run", dir.toString(), "-q", "--data", data.toString())).as(cli.err()).isZero();
        assertThat(cli.run("runs", "--data", data.toString())).isZero();
        String table = cli.out();
        assertThat(cli.run("runs", "--json", "--data", data.toString())).isZero();
        String json = cli.out();
        assertThat(cli.run("logs", "--data", data.toString())).isZero();
        String log = cli.out();
        assertThat(cli.run("trials", "--data", data.toString())).isZero();
        String trials = cli.out();
        assertThat(cli.run("trials", "1", "--json", "--data", data.toString())).isZero();
        String trialsJson = cli.out();

        int port = Ports.free();
        Path config = Files.writeString(home.resolve("hone-server.yaml"), "listen: 127.0.0.1:" + port + "\n"
                + "api_token: " + Serve.TOKEN + "\nread_access: token\n"
                + "repositories:\n  - url: " + Files.createDirectories(home.resolve("empty.git")) + "\n"
                + "    initial_run: false\n");
        String url = "http://127.0.0.1:" + port;
        try (ServeProcess hone = ServeProcess.start(home, config, data)) {
            cli.env.put("HONE_TOKEN", Serve.TOKEN);
            assertThat(cli.run("runs", "--server", url)).as(cli.err()).isZero();
            assertThat(cli.out()).contains("proj").isEqualTo(table);
            assertThat(cli.run("runs", "--json", "--server", url)).as(cli.err()).isZero();
            assertThat(cli.out()).isEqualTo(json);
            assertThat(cli.run("logs", "--server", url)).as(cli.err()).isZero();
            assertThat(cli.out()).contains("accuracy=0.8").isEqualTo(log);
            assertThat(cli.run("trials", "--server", url)).as(cli.err()).isZero();
            assertThat(cli.out()).as("all but where the logs are on this machine")
                    .isEqualTo(trials.replaceAll("(?m)^logs: .*\n", "")).contains("accuracy");
            assertThat(cli.run("trials", "1", "--json", "--server", url)).as(cli.err()).isZero();
            assertThat(cli.out()).isEqualTo(trialsJson);
            assertThat(cli.run("repo", "list", "--server", url)).as(cli.err()).isZero();
            String repositories = cli.out();
            assertThat(cli.run("repo", "list", "--config", config.toString(), "--data", data.toString())).isZero();
            assertThat(repositories).contains("empty.git").isEqualTo(cli.out());
            assertThat(cli.run("logs", "7", "--server", url)).isEqualTo(2);
            assertThat(cli.err()).isEqualTo("hone: no run 7 on " + url + ": `hone runs --server " + url
                    + "` lists them\n");

            assertThat(cli.run("runs", "--project", "nope", "--server", url)).isEqualTo(2);
            assertThat(cli.err()).isEqualTo("hone: no project nope on " + url + ": the projects are proj\n");
            assertThat(cli.run("cancel", "1", "--server", url)).isEqualTo(2);
            assertThat(cli.err()).isEqualTo("hone: run 1 has already ended (target_reached)\n");
            assertThat(cli.run("cancel", "9", "--server", url)).isEqualTo(2);
            assertThat(cli.err()).isEqualTo("hone: no run 9\n");
            cli.run("token", "create", "--name", "ci", "--scope", "read", "--data", data.toString());
            cli.env.put("HONE_TOKEN", TokenCommandTest.created(cli, "ci", "read"));
            assertThat(cli.run("runs", "--server", url)).as("a read token reads").isZero();
            assertThat(cli.run("cancel", "1", "--server", url)).as("but does not cancel").isEqualTo(2);
            assertThat(cli.err()).isEqualTo("hone: the server refused the token (403, from HONE_TOKEN); set "
                    + "HONE_TOKEN or write a token to ~/.config/hone/token (hone token create on the server makes "
                    + "one)\n");

            cli.env.put("HONE_TOKEN", "not-the-token");
            assertThat(cli.run("runs", "--server", url)).isEqualTo(2);
            assertThat(cli.err()).isEqualTo("hone: the server refused the token (401, from HONE_TOKEN); set "
                    + "HONE_TOKEN or write a token to ~/.config/hone/token (hone token create on the server makes "
                    + "one)\n").doesNotContain("not-the-token");

            cli.env.remove("HONE_TOKEN");
            Files.createDirectories(home.resolve(".config/hone"));
            Files.writeString(home.resolve(".config/hone/token"), Serve.TOKEN + "\n");
            assertThat(cli.run("runs", "--server", url + "/")).as(cli.err()).isZero();
            assertThat(cli.out()).isEqualTo(table);
        }
    }

    @Test
    void aServerThatIsNotThereExitsThreeAndABadUrlTwo() {
        Cli cli = new Cli(home);
        int port = Ports.free();

        assertThat(cli.run("runs", "--server", "http://127.0.0.1:" + port)).isEqualTo(3);
        assertThat(cli.err()).isEqualTo("hone: cannot reach http://127.0.0.1:" + port
                + ": connection refused; is hone serve running?\n");

        assertThat(cli.run("cancel", "3")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: give the server that runs it: hone cancel 3 --server URL (a hone run "
                + "is cancelled with Ctrl-C where it runs)\n");

        assertThat(cli.run("runs", "--server", "127.0.0.1:" + port)).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: --server takes the address of a hone serve, like "
                + "http://127.0.0.1:8080; got 127.0.0.1:" + port + "\n");
    }
}
