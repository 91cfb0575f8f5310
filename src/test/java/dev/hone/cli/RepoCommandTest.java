package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.store.EventRow;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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

    @Test
    void trustShowsAHostsKeyAndRecordsItOnce() throws Exception {
        try (TestSshd sshd = TestSshd.start(home.resolve("sshd"))) {
            Cli cli = new Cli(home);
            String host = "127.0.0.1:" + sshd.port;
            Path knownHosts = home.resolve(".ssh/known_hosts");

            assertThat(cli.run("repo", "trust", host, "--fingerprint", "SHA256:not-this-one")).isEqualTo(2);
            assertThat(cli.err()).isEqualTo("hone: the key of " + host + " has the fingerprint " + sshd.fingerprint()
                    + ", not SHA256:not-this-one: nothing recorded — make sure you reach the right server\n");
            assertThat(knownHosts).doesNotExist();

            assertThat(cli.run("repo", "trust", host)).isEqualTo(0);
            assertThat(cli.out()).isEqualTo(host + " offers ssh-ed25519 " + sshd.fingerprint() + "\n"
                    + "trusted: recorded in " + knownHosts + "\n");
            assertThat(Files.readString(knownHosts)).isEqualTo(sshd.knownHostsLine());

            assertThat(cli.run("repo", "trust", host, "--fingerprint", sshd.fingerprint())).isEqualTo(0);
            assertThat(cli.out()).endsWith("already trusted in " + knownHosts + "\n");
            assertThat(Files.readString(knownHosts)).isEqualTo(sshd.knownHostsLine());
        }
    }

    @Test
    void addsAnSshRepositoryWithItsKeyFileAndListsItsStatus() throws Exception {
        Cli cli = new Cli(home);
        Path key = TestSshd.keygen(home.resolve("deploy_key"), "", "ed25519");
        String url = "ssh://git@git.example.com:2222/ml/iris.git";

        assertThat(cli.run("repo", "add", "https://github.com/acme/a.git", "--ssh-key-file", key.toString()))
                .isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: ssh_key_file, passphrase_env and known_hosts are for ssh:// and "
                + "git@host:path URLs, got \"https://github.com/acme/a.git\"\n");
        assertThat(cli.run("repo", "add", url, "--ssh-key-file", home.resolve("missing").toString())).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: ssh_key_file must be a file the server can read, but "
                + home.resolve("missing") + " does not exist\n");
        assertThat(cli.run("repo", "add", url, "--username-env", "U", "--password-env", "P")).isEqualTo(2);
        assertThat(cli.err()).startsWith("hone: username_env and password_env are for http(s) URLs");

        assertThat(cli.run("repo", "add", url, "--ssh-key-file", key.toString(), "--passphrase-env", "IRIS_KEY_PASS"))
                .isEqualTo(0);
        assertThat(cli.run("repo", "list")).isEqualTo(0);
        assertThat(cli.out()).contains(url).endsWith(" unchecked\n").doesNotContain(key.toString());

        try (Store store = Stores.open(cli.data().resolve("hone.db").toString())) {
            store.installation().addRepositoryEvent(url, new EventRow("unreachable", "the server refused the "
                    + "deploy key for " + url + ": is its public key (…) added to the repository as a deploy key?",
                    Instant.now()));
        }
        assertThat(cli.run("repo", "list")).isEqualTo(0);
        assertThat(cli.out()).contains(" failing\n      ! the server refused the deploy key for " + url + ": ");
    }
}
