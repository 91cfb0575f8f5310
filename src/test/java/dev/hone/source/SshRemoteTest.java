package dev.hone.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hone.server.GitFixture;
import dev.hone.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repositories over SSH against a real OpenSSH sshd on a loopback port: deploy keys (text, file, passphrase), the
 * server user's keys with ~/.ssh/config, host keys checked against known_hosts, and what each failure says.
 */
class SshRemoteTest {

    @TempDir
    static Path shared;

    static TestSshd sshd;
    static Path deployKey;
    static GitFixture repo;
    static String main;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = TestSshd.start(shared.resolve("sshd"));
        deployKey = TestSshd.keygen(shared.resolve("deploy_key"), "", "ed25519");
        sshd.authorize(deployKey);
        repo = new GitFixture(shared, "digits");
        repo.write("main.py", "print('accuracy=0.9')\n").commit("One");
        main = repo.write("main.py", "print('accuracy=0.91')\n").commit("Two");
        repo.push("main");
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    GitClient git() {
        return new GitClient(Map.of("HOME", tmp.resolve("home").toString()));
    }

    Path knownHosts() throws Exception {
        return Files.writeString(tmp.resolve("known_hosts"), sshd.knownHostsLine());
    }

    @Test
    void aDeployKeyFileReadsTheBranchesAndFetchesOnlyTheHeadCommit() throws Exception {
        Mirror mirror = git().mirror(new Remote(sshd.url(repo.bare),
                new GitAuth.SshKey(null, deployKey, null, knownHosts()), null), tmp.resolve("cache"));

        assertThat(mirror.branches()).isEqualTo(Map.of("main", main));
        mirror.fetchHeads(java.util.List.of("main"));
        assertThat(mirror.commit(main).orElseThrow().message()).isEqualTo("Two");
        assertThat(Files.readString(tmp.resolve("cache/shallow")).strip()).as("a shallow fetch").isEqualTo(main);
        mirror.checkout(main, tmp.resolve("out"));
        assertThat(Files.readString(tmp.resolve("out/main.py"))).isEqualTo("print('accuracy=0.91')\n");
    }

    @Test
    void aRunsCommitBehindTheHeadIsFetchedAloneBySha() throws Exception {
        String one = repo.git(repo.work, "rev-parse", "HEAD~1").strip();
        Mirror mirror = git().mirror(new Remote(sshd.url(repo.bare),
                new GitAuth.SshKey(null, deployKey, null, knownHosts()), null), tmp.resolve("cache"));

        assertThat(mirror.fetchCommit(one, "main").orElseThrow().message()).isEqualTo("One");

        assertThat(Files.readString(tmp.resolve("cache/shallow")).strip()).as("only that commit").isEqualTo(one);
        assertThat(mirror.commit(main)).as("not the branch's head").isEmpty();
    }

    @Test
    void theServerRefusesAKeyItDoesNotKnowWithTheKeysFingerprint() throws Exception {
        Path stranger = TestSshd.keygen(tmp.resolve("stranger"), "", "ed25519");
        Mirror mirror = git().mirror(new Remote(sshd.url(repo.bare),
                new GitAuth.SshKey(Files.readString(stranger), null, null, knownHosts()), null), tmp.resolve("cache"));

        GitException e = catchThrowableOfType(GitException.class, mirror::branches);

        assertThat(e.kind()).isEqualTo(GitException.Kind.KEY_REFUSED);
        assertThat(e).hasMessage("the server refused the deploy key for " + sshd.url(repo.bare) + ": is its public "
                + "key (ssh-ed25519 " + TestSshd.fingerprint(Path.of(stranger + ".pub")) + ") added to the "
                + "repository as a deploy key?");
    }

    @Test
    void anUnknownHostIsRefusedWithItsFingerprintUntilItIsTrusted() throws Exception {
        Path knownHosts = tmp.resolve("home/.ssh/known_hosts");
        GitClient git = git();
        Mirror mirror = git.mirror(new Remote(sshd.url(repo.bare), GitAuth.SshKey.file(deployKey), null),
                tmp.resolve("cache"));

        GitException e = catchThrowableOfType(GitException.class, mirror::branches);

        assertThat(e.kind()).isEqualTo(GitException.Kind.HOST_KEY_UNKNOWN);
        assertThat(e).hasMessage("the host key of 127.0.0.1:" + sshd.port + " is not known: the server offered "
                + "ssh-ed25519 " + sshd.fingerprint() + ", which is not in " + knownHosts + "; if that is the "
                + "server's key (compare it with the fingerprint its administrator or hosting site publishes), trust "
                + "it with: hone repo trust 127.0.0.1:" + sshd.port);

        HostKey key = git.hostKey("127.0.0.1:" + sshd.port);
        assertThat(key.fingerprint()).isEqualTo(sshd.fingerprint());
        assertThat(git.trusts(knownHosts, key)).isFalse();
        git.trust(knownHosts, key);
        assertThat(git.trusts(knownHosts, key)).isTrue();
        assertThat(mirror.branches()).containsEntry("main", main);
    }

    @Test
    void anEncryptedKeyNeedsItsPassphraseAndTheRightOne() throws Exception {
        Path encrypted = TestSshd.keygen(tmp.resolve("encrypted"), "correct horse", "ed25519");
        sshd.authorize(encrypted);
        String key = Files.readString(encrypted);
        String url = sshd.url(repo.bare);

        GitException none = catchThrowableOfType(GitException.class, git().mirror(new Remote(url,
                new GitAuth.SshKey(key, null, null, knownHosts()), null), tmp.resolve("cache"))::branches);
        assertThat(none.kind()).isEqualTo(GitException.Kind.KEY_UNUSABLE);
        assertThat(none).hasMessage("cannot list the branches of " + url + ": the key is encrypted: set its "
                + "passphrase (credentials.passphrase, or hone repo add --passphrase-env VAR)");

        GitException wrong = catchThrowableOfType(GitException.class, git().mirror(new Remote(url,
                new GitAuth.SshKey(key, null, "wrong", knownHosts()), null), tmp.resolve("cache"))::branches);
        assertThat(wrong).hasMessage("cannot list the branches of " + url + ": the passphrase does not decrypt the "
                + "key");
        assertThat(wrong.getMessage()).doesNotContain("OPENSSH PRIVATE KEY");

        assertThat(git().mirror(new Remote(url, new GitAuth.SshKey(key, null, "correct horse", knownHosts()), null),
                tmp.resolve("cache")).branches()).containsEntry("main", main);
    }

    @Test
    void aChangedHostKeyIsRefusedAsAPossibleInterception() throws Exception {
        Path other = TestSshd.keygen(tmp.resolve("other_host_key"), "", "ed25519");
        String[] pub = Files.readString(Path.of(other + ".pub")).split("\\s+");
        Path knownHosts = Files.writeString(tmp.resolve("known_hosts"),
                "[127.0.0.1]:" + sshd.port + " " + pub[0] + " " + pub[1] + "\n");
        Mirror mirror = git().mirror(new Remote(sshd.url(repo.bare),
                new GitAuth.SshKey(null, deployKey, null, knownHosts), null), tmp.resolve("cache"));

        GitException e = catchThrowableOfType(GitException.class, mirror::branches);

        assertThat(e.kind()).isEqualTo(GitException.Kind.HOST_KEY_CHANGED);
        assertThat(e).hasMessage("the host key of 127.0.0.1:" + sshd.port + " has changed: the server offered "
                + "ssh-ed25519 " + sshd.fingerprint() + ", but " + knownHosts + " holds another key for it — the "
                + "connection may be intercepted, or the server's key was replaced; if its administrator confirms "
                + "the new key, remove the old line from " + knownHosts + " and run: hone repo trust 127.0.0.1:"
                + sshd.port + " --known-hosts " + knownHosts);
    }

    @Test
    void anScpLikeUrlUsesTheServerUsersKeyAndSshConfig() throws Exception {
        Path ssh = Files.createDirectories(tmp.resolve("home/.ssh"));
        Files.copy(deployKey, ssh.resolve("id_ed25519"));
        Files.writeString(ssh.resolve("known_hosts"), sshd.knownHostsLine());
        Files.writeString(ssh.resolve("config"), "Host githost\n  HostName 127.0.0.1\n  Port " + sshd.port
                + "\n");
        String url = sshd.user + "@githost:" + repo.bare;

        Mirror mirror = git().mirror(Remote.of(url), tmp.resolve("cache"));

        assertThat(mirror.branches()).isEqualTo(Map.of("main", main));
        assertThat(mirror.fetchCommit(main, "main")).isPresent();
    }

    @Test
    void aHostWhoseNameDoesNotResolveIsUnreachable() {
        Mirror mirror = git().mirror(new Remote("ssh://git@git.hone-test.invalid/acme/digits.git",
                GitAuth.SshKey.file(deployKey), null), tmp.resolve("cache"));

        GitException e = catchThrowableOfType(GitException.class, mirror::branches);

        assertThat(e.kind()).isEqualTo(GitException.Kind.UNREACHABLE);
        assertThat(e).hasMessage("cannot reach git.hone-test.invalid for ssh://git@git.hone-test.invalid/acme/"
                + "digits.git: the name git.hone-test.invalid does not resolve (DNS)");
    }

    @Test
    void submodulesOnTheSameHostAreCheckedOutWithTheSameKey() throws Exception {
        GitFixture lib = new GitFixture(tmp, "lib");
        lib.write("util.py", "X = 1\n").commit("Lib");
        lib.push("main");
        GitFixture app = new GitFixture(tmp, "app");
        app.write("main.py", "import lib.util\n");
        app.git(app.work, "-c", "protocol.file.allow=always", "submodule", "add", "--quiet", "../lib.git", "lib");
        String sha = app.commit("With lib");
        app.push("main");
        Mirror mirror = git().mirror(new Remote(sshd.url(app.bare),
                new GitAuth.SshKey(null, deployKey, null, knownHosts()), null), tmp.resolve("cache"));

        mirror.fetchCommit(sha, "main");
        mirror.checkout(sha, tmp.resolve("out"));

        assertThat(Files.readString(tmp.resolve("out/main.py"))).isEqualTo("import lib.util\n");
        assertThat(Files.readString(tmp.resolve("out/lib/util.py"))).isEqualTo("X = 1\n");
        assertThat(tmp.resolve("out/lib/.git")).doesNotExist();
        assertThat(tmp.resolve("cache/modules")).as("the submodule's own cache, fetched over ssh with the deploy key "
                + "and known_hosts of the superproject (the server user has neither)").isDirectoryContaining(
                        p -> Files.isDirectory(p.resolve("objects")));
    }
}
