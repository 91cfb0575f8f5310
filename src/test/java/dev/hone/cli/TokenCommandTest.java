package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.source.Signatures;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.store.TokenRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hone token create|list|revoke} on the store hone serve uses, found by --data or --config. */
class TokenCommandTest {

    static final Pattern CREATED = Pattern.compile("""
            created token (\\S+) \\((read|write)\\); it is shown this once and kept only as a hash:
              (hone_[A-Za-z0-9_-]{43})
            send it as: Authorization: Bearer <token>, or sign in with it on the dashboard
            """);

    @TempDir
    Path home;

    /** The token's text, from what {@code hone token create} printed. */
    static String created(Cli cli, String name, String scope) {
        Matcher m = CREATED.matcher(cli.out());
        assertThat(m.matches()).as(cli.out()).isTrue();
        assertThat(m.group(1)).isEqualTo(name);
        assertThat(m.group(2)).isEqualTo(scope);
        return m.group(3);
    }

    @Test
    void aTokenIsShownOnceAndKeptOnlyAsItsHash() throws IOException {
        Cli cli = new Cli(home);

        assertThat(cli.run("token", "create", "--name", "ci", "--scope", "read")).as(cli.err()).isZero();

        String token = created(cli, "ci", "read");
        try (Store store = Stores.open(cli.data().resolve("hone.db").toString())) {
            assertThat(store.installation().tokens()).singleElement().satisfies(t -> {
                assertThat(t.sha256()).isEqualTo(Signatures.sha256Hex(token));
                assertThat(t.scope()).isEqualTo(TokenRow.Scope.READ);
                assertThat(t.lastUsedAt()).isNull();
            });
        }
        try (Stream<Path> files = Files.list(cli.data())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(token);
            }
        }
    }

    @Test
    void theListShowsNameScopeCreationAndLastUseButNeverTheToken() {
        Cli cli = new Cli(home);
        cli.run("token", "create", "--name", "deploy", "--scope", "write");
        String deploy = created(cli, "deploy", "write");
        cli.run("token", "create", "--name", "ci");
        created(cli, "ci", "read");
        Instant used = Instant.parse("2026-12-05T10:15:30Z");
        try (Store store = Stores.open(cli.data().resolve("hone.db").toString())) {
            store.installation().tokenUsed("deploy", used);
        }

        assertThat(cli.run("token", "list")).isZero();

        try (Store store = Stores.open(cli.data().resolve("hone.db").toString())) {
            String ciMade = RunsCommand.TIME.format(store.installation().tokens().get(0).createdAt());
            String deployMade = RunsCommand.TIME.format(store.installation().tokens().get(1).createdAt());
            assertThat(cli.out()).isEqualTo("""
                    name    scope  created              last used
                    ci      read   %s  never
                    deploy  write  %s  %s
                    """.formatted(ciMade, deployMade, RunsCommand.TIME.format(used)));
        }
        assertThat(cli.out()).doesNotContain(deploy);
    }

    @Test
    void aRevokedTokenIsGoneAndRevokingItAgainSaysThereIsNone() {
        Cli cli = new Cli(home);
        cli.run("token", "create", "--name", "ci");

        assertThat(cli.run("token", "revoke", "ci")).isZero();
        assertThat(cli.out()).isEqualTo("revoked token ci: it is refused from now on, and the dashboard sessions "
                + "signed in with it have ended\n");
        assertThat(cli.run("token", "list")).isZero();
        assertThat(cli.out()).isEqualTo("no tokens: make one with hone token create --name NAME --scope read|write\n");

        assertThat(cli.run("token", "revoke", "ci")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: there is no token named ci: hone token list shows them\n");
    }

    @Test
    void aNameIsTakenOnceAndMustBeAPlainWord() {
        Cli cli = new Cli(home);
        cli.run("token", "create", "--name", "ci");

        assertThat(cli.run("token", "create", "--name", "ci", "--scope", "write")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: there is a token named ci already: revoke it first (hone token "
                + "revoke ci) or choose another name\n");
        assertThat(cli.run("token", "create", "--name", "my token")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: a token's name is letters, digits, '.', '_' and '-', starting with a "
                + "letter or digit, at most 64 characters; got \"my token\"\n");
        assertThat(cli.run("token", "create", "--name", "api_token")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: \"api_token\" names the token of hone-server.yaml; choose another "
                + "name\n");
        assertThat(cli.run("token", "create", "--name", "x", "--scope", "admin")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: --scope must be read or write, got admin\n");
    }

    @Test
    void theSettingsFileNamesTheStoreAsForHoneServe() throws IOException {
        Cli cli = new Cli(home);
        Path data = home.resolve("server-data");
        Path config = Files.writeString(home.resolve("hone-server.yaml"), "data_dir: " + data + "\n");

        assertThat(cli.run("token", "create", "--name", "ci", "--config", config.toString())).isZero();

        assertThat(data.resolve("hone.db")).exists();
        assertThat(cli.data().resolve("hone.db")).doesNotExist();
        assertThat(cli.run("token", "list", "--data", data.toString())).isZero();
        assertThat(cli.out()).startsWith("name  scope  created").contains("\nci    read   ");
    }
}
