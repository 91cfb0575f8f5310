package dev.hone.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hone.spec.ServerSpec.Credentials;
import dev.hone.spec.ServerSpec.Repository;
import dev.hone.spec.ServerSpec.Slack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Secrets never appear in a problem or a {@code toString}, however they are written and whatever is wrong with them:
 * a message shows the key and, when the secret was written as {@code ${VAR}}, the reference. Every secret below
 * contains "tok-", and each test asserts that the text it checks does not.
 */
class SecretsTest {

    /** Problems of {@code yaml} alone: HONE_API_TOKEN, which would set api_token over the file, left out. */
    private static InvalidSpecException serverProblems(String yaml) {
        Map<String, String> env = new java.util.HashMap<>(ServerSpecLoaderTest.ENV);
        env.remove("HONE_API_TOKEN");
        return serverProblems(yaml, env);
    }

    private static InvalidSpecException serverProblems(String yaml, Map<String, String> env) {
        return catchThrowableOfType(InvalidSpecException.class,
                () -> ServerSpecLoader.parse(yaml, "hone-server.yaml", env));
    }

    @Nested
    class InProblemsOfHoneServerYaml {

        @Test
        void aSecretOfTheWrongTypeIsDescribedNotShown() {
            InvalidSpecException e = serverProblems("api_token: 8675309\n");

            assertThat(e.problemLines()).containsExactly(
                    "hone-server.yaml:1:12: api_token: must be a string, got a number (not shown: secret) — "
                            + "quote it");
            assertThat(e.getMessage()).doesNotContain("8675309");
        }

        @Test
        void anInvalidSecretUrlIsDescribedNotShown() {
            InvalidSpecException e = serverProblems("""
                    notify:
                      slack: {url: hooks.slack.com/services/T0/B0/tok-literal-1}
                      webhook: {url: "ftp://tok-literal-2", secret: [tok-literal-3]}
                    """);

            assertThat(e.problemLines()).containsExactly(
                    "hone-server.yaml:2:16: notify.slack.url: must be an http:// or https:// URL, got a string "
                            + "(not shown: secret)",
                    "hone-server.yaml:3:18: notify.webhook.url: must be an http:// or https:// URL, got a string "
                            + "(not shown: secret)",
                    "hone-server.yaml:3:49: notify.webhook.secret: must be a string, got a list");
            assertThat(e.getMessage()).doesNotContain("tok-");
        }

        @Test
        void aSecretFromTheEnvironmentShowsOnlyItsReference() {
            InvalidSpecException e = serverProblems("notify:\n  slack: {url: \"${SLACK}\"}\n",
                    Map.of("SLACK", "tok-env-1"));

            assertThat(e.problemLines()).containsExactly("hone-server.yaml:2:16: notify.slack.url: must be an "
                    + "http:// or https:// URL, got \"${SLACK}\" (expanded from the environment)");
            assertThat(e.getMessage()).doesNotContain("tok-");
        }

        @Test
        void aReferenceWithADefaultIsNotShownEither() {
            InvalidSpecException e = serverProblems("notify:\n  slack: {url: \"${SLACK:-tok-default-1}\"}\n");

            assertThat(e.problemLines()).containsExactly("hone-server.yaml:2:16: notify.slack.url: must be an "
                    + "http:// or https:// URL, got a string (not shown: secret)");
            assertThat(e.getMessage()).doesNotContain("tok-");
        }

        @Test
        void aMalformedReferenceInASecretDoesNotQuoteTheSecret() {
            InvalidSpecException e = serverProblems("""
                    repositories:
                      - url: https://github.com/acme/digits.git
                        webhook_secret: "tok-literal-1${tok-literal-2}"
                        credentials: {username: ci, password: "tok-literal-3${OPEN"}
                    """);

            assertThat(e.problemLines()).containsExactly(
                    "hone-server.yaml:3:21: repositories[0].webhook_secret: a \"${…}\" is not a variable "
                            + "reference: write ${NAME}, ${NAME:-default}, or $$ for a literal $",
                    "hone-server.yaml:4:43: repositories[0].credentials.password: a \"${\" is not closed: write "
                            + "${NAME}, ${NAME:-default}, or $$ for a literal $");
            assertThat(e.getMessage()).doesNotContain("tok-");
        }

        @Test
        void credentialsInAUrlAreMasked() {
            InvalidSpecException e = serverProblems("""
                    store: postgres://hone:tok-literal-1@db.example.com/hone
                    repositories:
                      - url: htps://ci:tok-literal-2@github.com/acme/digits.git
                    """);

            assertThat(e.problemLines()).containsExactly(
                    "hone-server.yaml:1:8: store: must be sqlite or a PostgreSQL JDBC URL such as "
                            + "jdbc:postgresql://db.example.com/hone, got \"postgres://hone:***@db.example.com/hone\" "
                            + "— a PostgreSQL JDBC URL starts with jdbc:postgresql://",
                    "hone-server.yaml:3:10: repositories[0].url: must be a git URL (https://host/path, "
                            + "ssh://host/path, git@host:path, file:///path or an absolute path), got "
                            + "\"htps://ci:***@github.com/acme/digits.git\"");
            assertThat(e.getMessage()).doesNotContain("tok-");
        }
    }

    @Nested
    class InProblemsOfHoneYaml {

        @Test
        void channelUrlsAndSecretsAreDescribedNotShown() {
            InvalidSpecException e = catchThrowableOfType(InvalidSpecException.class, () -> SpecLoader.parse("""
                    notify:
                      slack: {url: hooks.slack.com/tok-literal-1}
                      webhook: {url: "https://ci.example.com", secret: 42}
                    """, "hone.yaml", "x", Map.of()));

            assertThat(e.problemLines()).containsExactly(
                    "hone.yaml:2:16: notify.slack.url: must be an http:// or https:// URL, got a string "
                            + "(not shown: secret)",
                    "hone.yaml:3:52: notify.webhook.secret: must be a string, got a number (not shown: secret) — "
                            + "quote it");
            assertThat(e.getMessage()).doesNotContain("tok-").doesNotContain("42");
        }
    }

    @Nested
    class InToString {

        @Test
        void everySecretOfALoadedSpecIsMasked() {
            ServerSpec spec = ServerSpecLoader.load(Path.of("src/test/resources/spec-server/valid/every-key.yaml"),
                    ServerSpecLoaderTest.ENV);

            assertThat(spec.toString()).doesNotContain("tok-")
                    .contains("apiToken=***", "password=***", "webhookSecret=***", "token=***", "url=***",
                            "username=ci-bot", "host=smtp.example.com", "apiUrl=https://github.example.com/api/v3");
        }

        @Test
        void credentialsInUrlsAreMasked() {
            ServerSpec spec = new ServerSpec(null, "jdbc:postgresql://db/hone?user=hone&password=tok-1",
                    ServerSpec.DEFAULT_LISTEN, null, null, Spec.Executor.AUTO, ServerSpec.DEFAULT_LIMITS,
                    List.of(new Repository("https://tok-2@github.com/acme/x.git", List.of("main"), Duration.ZERO,
                            null, null)), ServerSpec.Channels.NONE);

            assertThat(spec.toString()).doesNotContain("tok-")
                    .contains("store=jdbc:postgresql://db/hone?user=hone&password=***",
                            "url=https://***@github.com/acme/x.git");
        }

        @Test
        void aSecretThatIsNotSetReadsNull() {
            assertThat(new Credentials.Password("ci", null)).hasToString("Password[username=ci, password=null]");
            assertThat(new Credentials.SshKey(null, Path.of("/etc/hone/deploy_key"), null, null))
                    .hasToString("SshKey[key=null, keyFile=/etc/hone/deploy_key, passphrase=null, knownHosts=null]");
            assertThat(new Slack("https://hooks.slack.com/tok-1")).hasToString("Slack[url=***]");
            assertThat(new Spec.Webhook("https://ci.example.com/tok-1", null))
                    .hasToString("Webhook[url=***, secret=null]");
        }
    }

    @Nested
    class MaskingCredentialsInUrls {

        @Test
        void masksThePasswordOfUserInfoAndKeepsTheUser() {
            assertThat(Disclosure.maskCredentials("https://ci:tok-1@github.com/a.git"))
                    .isEqualTo("https://ci:***@github.com/a.git");
        }

        @Test
        void masksAnHttpUserAloneBecauseItIsUsuallyAToken() {
            assertThat(Disclosure.maskCredentials("https://tok-1@github.com/a.git"))
                    .isEqualTo("https://***@github.com/a.git");
        }

        @Test
        void keepsTheUserOfAnSshUrl() {
            assertThat(Disclosure.maskCredentials("ssh://git@github.com/a.git"))
                    .isEqualTo("ssh://git@github.com/a.git");
            assertThat(Disclosure.maskCredentials("git@github.com:a.git")).isEqualTo("git@github.com:a.git");
        }

        @Test
        void masksAPasswordParameter() {
            assertThat(Disclosure.maskCredentials("jdbc:postgresql://db/hone?user=hone&password=tok-1&ssl=true"))
                    .isEqualTo("jdbc:postgresql://db/hone?user=hone&password=***&ssl=true");
        }

        @Test
        void leavesAUrlWithoutCredentialsAlone() {
            assertThat(Disclosure.maskCredentials("https://github.com/a.git")).isEqualTo("https://github.com/a.git");
            assertThat(Disclosure.maskCredentials("sqlite")).isEqualTo("sqlite");
        }
    }
}
