package dev.hone.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every key of hone-server.yaml set by a HONE_<PATH> variable, over the file, checked as the file is. */
class EnvOverridesTest {

    private static final String FILE = """
            store: sqlite
            listen: 127.0.0.1:8080
            limits: {runs: 1, trials: 2}
            repositories:
              - url: https://git.example.com/acme/digits.git
            """;

    @Test
    void variablesSetKeysOverTheFileNestedListedAndIndexed() {
        ServerSpec spec = ServerSpecLoader.parse(FILE, "hone-server.yaml", Map.ofEntries(
                Map.entry("HOME", "/home/hone"),
                Map.entry("HONE_STORE", "jdbc:postgresql://db/hone"),
                Map.entry("HONE_LISTEN", ":9090"),
                Map.entry("HONE_LIMITS_RUNS", "3"),
                Map.entry("HONE_LIMITS_TRIALS", "6"),
                Map.entry("HONE_LIMITS_RUNS_PER_PROJECT", "2"),
                Map.entry("HONE_QUEUE_COALESCE", "false"),
                Map.entry("HONE_RETENTION_KEEP", "best"),
                Map.entry("HONE_RETENTION_RUNS", "365d"),
                Map.entry("HONE_REPOSITORIES_0_POLL", "5m"),
                Map.entry("HONE_REPOSITORIES_1_URL", "https://git.example.com/acme/$pecial.git"),
                Map.entry("HONE_REPOSITORIES_1_BRANCHES", "main, release"),
                Map.entry("HONE_API_TOKEN", "tok-from-the-environment"),
                Map.entry("HONE_DATA_DIR", ""),
                Map.entry("HONE_TOKEN", "a CLI's variable, not a setting"),
                Map.entry("HONE_KUBERNETES_LISTEN", "0.0.0.0:9000")));

        assertThat(spec.store()).isEqualTo("jdbc:postgresql://db/hone");
        assertThat(spec.listen()).isEqualTo(new ServerSpec.Listen("0.0.0.0", 9090));
        assertThat(spec.limits().runs()).isEqualTo(3);
        assertThat(spec.limits().trials()).isEqualTo(6);
        assertThat(spec.limits().runsPerProject()).isEqualTo(2);
        assertThat(spec.queue().coalesce()).isFalse();
        assertThat(spec.retention().keep()).containsExactly(ServerSpec.Retention.Keep.BEST);
        assertThat(spec.retention().runs()).isEqualTo(Duration.ofDays(365));
        assertThat(spec.dataDir()).as("an empty variable is not set").isEqualTo(Path.of("/home/hone/.hone"));
        assertThat(spec.repositories()).hasSize(2);
        assertThat(spec.repositories().get(0).url()).isEqualTo("https://git.example.com/acme/digits.git");
        assertThat(spec.repositories().get(0).poll()).isEqualTo(Duration.ofMinutes(5));
        assertThat(spec.repositories().get(1).url()).as("taken as written: no ${VAR} in a variable")
                .isEqualTo("https://git.example.com/acme/$pecial.git");
        assertThat(spec.repositories().get(1).branches()).containsExactly("main", "release");
        assertThat(spec.secrets(Map.of())).as("a secret set by a variable is masked like the file's")
                .contains("tok-from-the-environment");
    }

    @Test
    void withoutAFileTheVariablesSetTheDefaults() {
        ServerSpec spec = ServerSpecLoader.defaults(Map.of("HOME", "/home/hone", "HONE_DATA_DIR", "/srv/hone",
                "HONE_EXECUTOR", "local"));

        assertThat(spec.dataDir()).isEqualTo(Path.of("/srv/hone"));
        assertThat(spec.executor()).isEqualTo(Spec.Executor.LOCAL);
    }

    @Test
    void aBadValueAnUnknownKeyAndAGapInTheIndexesEachNameTheirVariable() {
        assertThatThrownBy(() -> ServerSpecLoader.parse(FILE, "hone-server.yaml", Map.of(
                "HONE_LIMITS_RUNS", "many", "HONE_LIMITS_RUN", "3", "HONE_REPOSITORIES_3_URL", "https://x/y.git",
                "HONE_READ_ACCESS", "tokens")))
                .isInstanceOf(InvalidSpecException.class)
                .satisfies(e -> assertThat(((InvalidSpecException) e).problems()).extracting(Problem::render)
                        .containsExactlyInAnyOrder(
                                "environment variable HONE_LIMITS_RUN: names no key of hone-server.yaml — did you mean"
                                        + " HONE_LIMITS_RUNS? (docs/configuration.md lists them)",
                                "environment variable HONE_LIMITS_RUNS: limits.runs: must be a positive integer, got"
                                        + " \"many\"",
                                "environment variable HONE_READ_ACCESS: read_access: must be one of public | token,"
                                        + " got \"tokens\" — did you mean \"token\"?",
                                "environment variable HONE_REPOSITORIES_3_URL: repositories: has 1 item before it, so"
                                        + " the next is index 1: number the variables from 0 without gaps"));
    }

    @Test
    void aSecretsBadValueIsNeverShown() {
        assertThatThrownBy(() -> ServerSpecLoader.parse("", "hone-server.yaml", Map.of(
                "HONE_NOTIFY_SLACK_URL", "not-a-url-but-a-secret-77")))
                .isInstanceOf(InvalidSpecException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("HONE_NOTIFY_SLACK_URL")
                        .doesNotContain("not-a-url-but-a-secret-77"));
    }

    @Test
    void everyKeyOfTheSchemaHasItsVariable() {
        assertThat(ServerKeys.ALL).extracting(ServerKeys.Key::variable).contains("HONE_STORE", "HONE_LISTEN",
                "HONE_LIMITS_RUNS_PER_PROJECT", "HONE_REPOSITORIES_<N>_URL",
                "HONE_REPOSITORIES_<N>_CREDENTIALS_PASSWORD", "HONE_NOTIFY_EMAIL_SMTP_HOST", "HONE_TRIAL_ENV_PASS")
                .doesNotHaveDuplicates();
        assertThat(ServerKeys.ALL.stream().filter(ServerKeys.Key::list).map(ServerKeys.Key::dotted))
                .contains("repositories[N].branches", "trial_env.pass", "retention.keep");
        assertThat(Set.copyOf(ServerKeys.ALL.stream().map(k -> k.path().getFirst()).toList()))
                .containsAll(List.copyOf(ServerReader.KEYS));
    }
}
