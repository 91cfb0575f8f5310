package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoCommandTest {

    @TempDir
    Path home;

    @Test
    void addsListsAndRemovesRepositoriesInTheStore() throws Exception {
        Cli cli = new Cli(home);
        Path config = Files.writeString(home.resolve("hone-server.yaml"), """
                repositories:
                  - url: https://github.com/acme/digits.git
                    webhook_secret: plain
                """);

        assertThat(cli.run("repo", "add", "/srv/git/vision.git", "--branch", "main,release/*", "--poll", "5m",
                "--webhook-secret-env", "VISION_SECRET")).isEqualTo(0);
        assertThat(cli.out()).isEqualTo("watching /srv/git/vision.git (id 1) · branches main, release/* · poll 5m\n");

        assertThat(cli.run("repo", "list", "--config", config.toString())).isEqualTo(0);
        assertThat(cli.out()).contains("https://github.com/acme/digits.git", "hone-server.yaml")
                .contains("/srv/git/vision.git", "main,release/*", "5m", "added");

        assertThat(cli.run("repo", "remove", "https://github.com/acme/digits.git", "--config", config.toString()))
                .isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: https://github.com/acme/digits.git is watched through "
                + "hone-server.yaml: remove it there and restart hone serve\n");
        assertThat(cli.run("repo", "remove", "/srv/git/vision.git")).isEqualTo(0);
        assertThat(cli.run("repo", "list")).isEqualTo(0);
        assertThat(cli.out()).isEqualTo("no repositories watched: add one with hone repo add URL\n");
    }

    @Test
    void refusesSecretsOnTheCommandLine() {
        Cli cli = new Cli(home);
        assertThat(cli.run("repo", "add", "https://bot:ghp_x@github.com/acme/a.git")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: url must not hold a password: give password_env (hone repo add "
                + "--password-env), the environment variable that holds it, got "
                + "\"https://bot:***@github.com/acme/a.git\"\n");
        assertThat(cli.run("repo", "add", "/srv/a.git", "--webhook-secret-env", "${SECRET}")).isEqualTo(2);
        assertThat(cli.err()).contains("environment variable names are letters, digits and _");
    }
}
