package dev.hone.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hone.server.GitFixture;
import dev.hone.testing.TestGitHttps;
import dev.hone.testing.TestProxy;
import dev.hone.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repositories over HTTPS against a real smart-HTTP git server (JGit's GitServlet under Jetty) with Basic
 * authentication and a certificate from a private test CA: tokens that work, are wrong, expired, revoked or lack
 * read access; the CA; the proxy of the environment.
 */
class HttpsRemoteTest {

    static final GitClient GIT = new GitClient(Map.of("HOME", "/nonexistent"));

    @TempDir
    static Path shared;

    static TestGitHttps server;
    static GitFixture repo;
    static String main;
    static Path ca;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestGitHttps.start(shared);
        ca = TestTls.get().writeCaPem(shared.resolve("ca.pem"));
        repo = new GitFixture(shared, "digits");
        repo.write("main.py", "print('accuracy=0.9')\n").commit("One");
        main = repo.write("main.py", "print('accuracy=0.91')\n").commit("Two");
        repo.push("main");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    Mirror mirror(String user, String token) {
        return GIT.mirror(new Remote(server.url(repo.bare), new GitAuth.Password(user, token), ca),
                tmp.resolve("cache"));
    }

    @Test
    void aTokenReadsTheBranchesAndFetchesTheHeadCommitShallow() throws Exception {
        server.grant("ci-bot", "tok-read-1");
        Mirror mirror = mirror("ci-bot", "tok-read-1");

        assertThat(mirror.branches()).isEqualTo(Map.of("main", main));
        assertThat(mirror.fetchCommit(main, "main").orElseThrow().message()).isEqualTo("Two");
        assertThat(Files.readString(tmp.resolve("cache/shallow")).strip()).isEqualTo(main);
        mirror.checkout(main, tmp.resolve("out"));
        assertThat(Files.readString(tmp.resolve("out/main.py"))).isEqualTo("print('accuracy=0.91')\n");
    }

    @Test
    void withoutTheCaTheCertificateIsNotTrustedAndTheMessageNamesCaCert() {
        server.grant("ci-bot", "tok-read-2");
        Mirror mirror = GIT.mirror(new Remote(server.url(repo.bare), new GitAuth.Password("ci-bot", "tok-read-2"),
                null), tmp.resolve("cache"));

        GitException e = catchThrowableOfType(GitException.class, mirror::branches);

        assertThat(e.kind()).isEqualTo(GitException.Kind.CERTIFICATE_UNTRUSTED);
        assertThat(e.getMessage()).startsWith("the certificate of 127.0.0.1:" + server.port() + " is not trusted for "
                + server.url(repo.bare) + " (").endsWith("): if a private CA signed it, set ca_cert to that CA's "
                + "certificate (PEM) for this repository").doesNotContain("tok-read-2");
    }

    @Test
    void aWrongTokenIsRefusedNamingTheUserAndWhatTheTokenNeeds() {
        server.grant("ci-bot", "tok-read-3");

        GitException e = catchThrowableOfType(GitException.class, mirror("ci-bot", "tok-wrong")::branches);

        assertThat(e.kind()).isEqualTo(GitException.Kind.CREDENTIALS_REFUSED);
        assertThat(e).hasMessage("127.0.0.1:" + server.port() + " refused the credentials for "
                + server.url(repo.bare) + " (user \"ci-bot\" and its password or token, HTTP 401): the token may be "
                + "wrong, expired or revoked — make one that can read the repository's contents and give it to Hone");
    }

    @Test
    void aTokenThatExpiresOrIsRevokedStopsWorking() {
        server.grant("ci-bot", "tok-read-4");
        server.grant("ci-bot", "tok-read-5");
        Mirror expiring = mirror("ci-bot", "tok-read-4");
        Mirror revoked = mirror("ci-bot", "tok-read-5");
        assertThat(expiring.branches()).containsKey("main");
        assertThat(revoked.branches()).containsKey("main");

        server.expire("tok-read-4");
        server.revoke("tok-read-5");

        assertThat(catchThrowableOfType(GitException.class, expiring::branches).kind())
                .isEqualTo(GitException.Kind.CREDENTIALS_REFUSED);
        assertThat(catchThrowableOfType(GitException.class, revoked::branches).kind())
                .isEqualTo(GitException.Kind.CREDENTIALS_REFUSED);
    }

    @Test
    void aTokenWithoutReadAccessIsToldWhatAccessItNeeds() {
        server.grantWithoutRead("ci-bot", "tok-noread");

        GitException e = catchThrowableOfType(GitException.class, mirror("ci-bot", "tok-noread")::branches);

        assertThat(e.kind()).isEqualTo(GitException.Kind.NO_READ_ACCESS);
        assertThat(e).hasMessage("127.0.0.1:" + server.port() + " does not let user \"ci-bot\" read "
                + server.url(repo.bare) + " (HTTP 403): the token needs read access to the repository's contents "
                + "(GitHub: Contents: read; GitLab: read_repository; Gitea: read access to the repository)");
    }

    @Test
    void aRepositoryTheServerDoesNotShowIsNotFoundAndThatPointsAtAccessRights() {
        server.grant("ci-bot", "tok-read-6");
        String missing = "https://127.0.0.1:" + server.port() + shared.resolve("private.git");
        Mirror mirror = GIT.mirror(new Remote(missing, new GitAuth.Password("ci-bot", "tok-read-6"), ca),
                tmp.resolve("cache"));

        GitException e = catchThrowableOfType(GitException.class, mirror::branches);

        assertThat(e.kind()).isEqualTo(GitException.Kind.NOT_FOUND);
        assertThat(e).hasMessage(missing + " was not found on 127.0.0.1:" + server.port() + ": if the URL is right, "
                + "the credentials cannot see it — hosting sites answer \"not found\" for a private repository one "
                + "has no access to; give the token read access to this repository");
    }

    @Test
    void theProxyOfTheEnvironmentCarriesTheConnection() throws Exception {
        server.grant("ci-bot", "tok-read-7");
        try (TestProxy proxy = TestProxy.start()) {
            GitClient git = new GitClient(Map.of("HOME", "/nonexistent", "https_proxy", proxy.url()));
            Mirror mirror = git.mirror(new Remote(server.url(repo.bare),
                    new GitAuth.Password("ci-bot", "tok-read-7"), ca), tmp.resolve("cache"));

            assertThat(mirror.branches()).containsEntry("main", main);
            assertThat(proxy.tunnels()).isNotEmpty().allMatch(t -> t.equals("127.0.0.1:" + server.port()));

            GitClient bypassing = new GitClient(Map.of("HOME", "/nonexistent", "HTTPS_PROXY", proxy.url(),
                    "no_proxy", "localhost,127.0.0.1"));
            int before = proxy.tunnels().size();
            assertThat(bypassing.mirror(new Remote(server.url(repo.bare),
                    new GitAuth.Password("ci-bot", "tok-read-7"), ca), tmp.resolve("cache")).branches())
                    .containsKey("main");
            assertThat(proxy.tunnels()).as("no_proxy").hasSize(before);
        }
    }

    @Test
    void aCaFileThatIsNoCertificateSaysSo() throws Exception {
        Path bogus = Files.writeString(tmp.resolve("ca.pem"), "not a certificate\n");
        Mirror mirror = GIT.mirror(new Remote(server.url(repo.bare), null, bogus), tmp.resolve("cache"));

        GitException e = catchThrowableOfType(GitException.class, mirror::branches);

        assertThat(e.kind()).isEqualTo(GitException.Kind.CERTIFICATE_UNTRUSTED);
        assertThat(e.getMessage()).startsWith("cannot list the branches of " + server.url(repo.bare) + ": ca_cert "
                + bogus + " ");
    }

    @Test
    void noCredentialsAtAllIsToldToGiveSome() {
        GitException e = catchThrowableOfType(GitException.class,
                GIT.mirror(new Remote(server.url(repo.bare), null, ca), tmp.resolve("cache"))::branches);

        assertThat(e.kind()).isEqualTo(GitException.Kind.CREDENTIALS_REFUSED);
        assertThat(e).hasMessage("127.0.0.1:" + server.port() + " asks for credentials for " + server.url(repo.bare)
                + " (HTTP 401): give credentials {username, password} with an access token that can read the "
                + "repository's contents");
        assertThat(List.of(e.getMessage())).noneMatch(m -> m.contains("tok-"));
    }
}
