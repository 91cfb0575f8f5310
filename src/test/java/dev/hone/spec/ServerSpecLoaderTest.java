package dev.hone.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hone.spec.ServerSpec.Channels;
import dev.hone.spec.ServerSpec.Credentials;
import dev.hone.spec.ServerSpec.Email;
import dev.hone.spec.ServerSpec.GitHub;
import dev.hone.spec.ServerSpec.GitLab;
import dev.hone.spec.ServerSpec.Limits;
import dev.hone.spec.ServerSpec.Listen;
import dev.hone.spec.ServerSpec.Queue;
import dev.hone.spec.ServerSpec.ReadAccess;
import dev.hone.spec.ServerSpec.Repository;
import dev.hone.spec.ServerSpec.Security;
import dev.hone.spec.ServerSpec.Slack;
import dev.hone.spec.ServerSpec.Smtp;
import dev.hone.spec.ServerSpec.TrialEnv;
import dev.hone.spec.ServerSpec.Webhook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSpecLoaderTest {

    /** Every variable the examples mention, with values no message may show. */
    static final Map<String, String> ENV = Map.ofEntries(
            Map.entry("HOME", "/home/hone"),
            Map.entry("HONE_API_TOKEN", "tok-api-0001"),
            Map.entry("DIGITS_HOOK_SECRET", "tok-hook-0002"),
            Map.entry("GIT_USER", "ci-bot"),
            Map.entry("GIT_TOKEN", "tok-git-0003"),
            Map.entry("SMTP_USER", "hone-mailer"),
            Map.entry("SMTP_PASSWORD", "tok-smtp-0004"),
            Map.entry("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/tok-slack-0005"),
            Map.entry("GITHUB_TOKEN", "tok-github-0006"),
            Map.entry("GITLAB_TOKEN", "tok-gitlab-0007"),
            Map.entry("HONE_WEBHOOK_URL", "https://ci.example.com/hone?key=tok-url-0008"),
            Map.entry("HONE_WEBHOOK_SECRET", "tok-sign-0009"),
            Map.entry("DEPLOY_KEY", "-----BEGIN OPENSSH PRIVATE KEY-----\ntok-key-0010\n-----END OPENSSH PRIVATE KEY-----\n"),
            Map.entry("DEPLOY_KEY_PASSPHRASE", "tok-passphrase-0011"));

    private static final Path EXAMPLES = Path.of("src/test/resources/spec-server/valid");

    static ServerSpec parse(String yaml) {
        return parse(yaml, ENV);
    }

    static ServerSpec parse(String yaml, Map<String, String> env) {
        return ServerSpecLoader.parse(yaml, "hone-server.yaml", env);
    }

    static List<String> problems(String yaml) {
        return problems(yaml, ENV);
    }

    static List<String> problems(String yaml, Map<String, String> env) {
        return catchThrowableOfType(InvalidSpecException.class, () -> parse(yaml, env)).problemLines();
    }

    @Nested
    class WithNothingSet {

        @Test
        void anEmptyFileIsTheDefaults() {
            assertThat(parse("")).isEqualTo(ServerSpecLoader.defaults(ENV));
            assertThat(parse("# listen: 9090\n")).isEqualTo(ServerSpecLoader.defaults(ENV));
        }

        @Test
        void theDefaultsKeepDataInHomeAndListenOnLoopback() {
            assertThat(ServerSpecLoader.defaults(Map.of("HOME", "/home/hone"))).isEqualTo(new ServerSpec(
                    Path.of("/home/hone/.hone"), "sqlite", new Listen("127.0.0.1", 8080), null, null,
                    Spec.Executor.AUTO, new Limits(2, 4, 2), new Queue(true), List.of(), Channels.NONE, null, null));
        }

        @Test
        void aProjectMayTakeEveryRunUnlessLimitedAndPushesCoalesce() {
            ServerSpec spec = parse("limits: {runs: 3, trials: 6}\n");

            assertThat(spec.limits()).isEqualTo(new Limits(3, 6, 3));
            assertThat(spec.queue()).isEqualTo(new Queue(true));
        }

        @Test
        void limitsGpusCapsTheGpusHandedOutAndIsUnsetByDefault() {
            assertThat(parse("limits: {gpus: 1}\n").limits().gpus()).isEqualTo(1);
            assertThat(parse("limits: {runs: 1}\n").limits().gpus()).isNull();
        }

        @Test
        void withoutHomeTheDataDirectoryIsLeftToTheCaller() {
            assertThat(ServerSpecLoader.defaults(Map.of()).dataDir()).isNull();
        }

        @Test
        void aKeyWithNothingAfterItKeepsItsDefault() {
            assertThat(parse("data_dir:\nstore: ~\nlisten:\nlimits:\n  runs:\n  runs_per_project:\nqueue:\n"
                    + "  coalesce:\nrepositories:\nnotify:\n"))
                    .isEqualTo(ServerSpecLoader.defaults(ENV));
        }

        @Test
        void aRepositoryNeedsOnlyItsUrl() {
            assertThat(parse("repositories:\n  - url: https://github.com/acme/digits.git\n").repositories())
                    .containsExactly(new Repository("https://github.com/acme/digits.git", List.of("main"),
                            Duration.ofSeconds(60), null, null));
        }

        @Test
        void smtpDefaultsToStarttlsOnItsPort() {
            assertThat(parse("notify:\n  email: {smtp: {host: mx}, from: a@b}\n").notifications().email())
                    .isEqualTo(new Email(new Smtp("mx", 587, Security.STARTTLS, null, null), "a@b"));
            assertThat(parse("notify:\n  email: {smtp: {host: mx, security: ssl}, from: a@b}\n").notifications()
                    .email().smtp().port()).isEqualTo(465);
            assertThat(parse("notify:\n  email: {smtp: {host: mx, security: none}, from: a@b}\n").notifications()
                    .email().smtp().port()).isEqualTo(25);
        }

        @Test
        void gitHubAndGitLabDefaultToTheirPublicServices() {
            Channels channels = parse("notify:\n  github: {token: t1}\n  gitlab: {token: t2}\n").notifications();
            assertThat(channels.github()).isEqualTo(new GitHub("t1", "https://api.github.com"));
            assertThat(channels.gitlab()).isEqualTo(new GitLab("https://gitlab.com", "t2"));
        }
    }

    @Nested
    class ReadingValues {

        @Test
        void readsHowEachRepositoryIsReadTokensDeployKeysAndAPrivateCa() {
            List<Repository> repositories = ServerSpecLoader.load(EXAMPLES.resolve("repositories-of-every-kind.yaml"),
                    ENV).repositories();

            assertThat(repositories.get(0).credentials()).isEqualTo(new Credentials.Password("hone-bot",
                    "tok-git-0003"));
            assertThat(repositories.get(0).caCert()).isEqualTo(Path.of("/etc/hone/internal-ca.pem"));
            assertThat(repositories.get(1).credentials()).isEqualTo(new Credentials.SshKey(null,
                    Path.of("/home/hone/.ssh/iris_deploy_key"), null, Path.of("/etc/hone/known_hosts")));
            assertThat(repositories.get(2).credentials()).isEqualTo(new Credentials.SshKey(ENV.get("DEPLOY_KEY"), null,
                    "tok-passphrase-0011", null));
            assertThat(repositories.get(2).toString()).doesNotContain("tok-");
            assertThat(repositories.get(3).credentials()).isNull();
        }

        @Test
        void readsEveryKeyOfTheDesignExample() {
            ServerSpec spec = ServerSpecLoader.load(EXAMPLES.resolve("design-example.yaml"), ENV);

            assertThat(spec).isEqualTo(new ServerSpec(Path.of("/home/hone/.hone"), "sqlite",
                    new Listen("127.0.0.1", 8080), "http://hone.example.com", "tok-api-0001", Spec.Executor.AUTO,
                    new Limits(2, 4, 2), new Queue(true),
                    List.of(new Repository("https://github.com/acme/digits.git", List.of("main"),
                            Duration.ofSeconds(60), "tok-hook-0002", new Credentials.Password("ci-bot", "tok-git-0003"))),
                    new Channels(
                            new Email(new Smtp("smtp.example.com", 587, Security.STARTTLS, "hone-mailer",
                                    "tok-smtp-0004"), "hone@example.com"),
                            new Slack("https://hooks.slack.com/services/T0/B0/tok-slack-0005"),
                            new GitHub("tok-github-0006", "https://api.github.com"),
                            new GitLab("https://gitlab.example.com", "tok-gitlab-0007"),
                            null), null,
                    new TrialEnv(List.of(), Set.of("HONE_API_TOKEN", "DIGITS_HOOK_SECRET", "GIT_USER", "GIT_TOKEN",
                            "SMTP_USER", "SMTP_PASSWORD", "SLACK_WEBHOOK_URL", "GITHUB_TOKEN", "GITLAB_TOKEN"))));
        }

        @Test
        void theSecretsOfAnInstallationAreEveryCredentialItHolds() {
            ServerSpec design = ServerSpecLoader.load(EXAMPLES.resolve("design-example.yaml"), ENV);

            assertThat(design.secrets(ENV)).containsExactlyInAnyOrder("tok-api-0001", "tok-hook-0002", "tok-git-0003",
                    "tok-smtp-0004", "https://hooks.slack.com/services/T0/B0/tok-slack-0005", "tok-github-0006",
                    "tok-gitlab-0007");
            ServerSpec urls = parse("""
                    store: "jdbc:postgresql://db/hone?user=hone&password=${DB_PASSWORD}"
                    public_url: "https://${PUBLIC_HOST}"
                    repositories:
                      - url: https://bot:tok-in-url-0010@git.example.com/acme/digits.git
                    notify:
                      webhook: {url: "${HONE_WEBHOOK_URL}", secret: "${HONE_WEBHOOK_SECRET}"}
                    """, Map.of("DB_PASSWORD", "tok-db-0011", "PUBLIC_HOST", "hone.example.com",
                    "HONE_WEBHOOK_URL", "https://ci.example.com/hone?key=tok-url-0008",
                    "HONE_WEBHOOK_SECRET", "tok-sign-0009"));
            ServerSpec ssh = ServerSpecLoader.load(EXAMPLES.resolve("every-key.yaml"), ENV);
            assertThat(ssh.secrets(ENV)).as("an SSH key's passphrase, and its body line by line")
                    .contains("tok-passphrase-0011", "tok-key-0010")
                    .doesNotContain("-----BEGIN OPENSSH PRIVATE KEY-----");
            assertThat(urls.secrets(Map.of("DB_PASSWORD", "tok-db-0011", "PUBLIC_HOST", "hone.example.com")))
                    .as("a referenced variable that says secret counts; one that does not, does not")
                    .containsExactlyInAnyOrder("tok-db-0011", "tok-in-url-0010",
                            "https://ci.example.com/hone?key=tok-url-0008", "tok-sign-0009");
        }

        @Test
        void readsTheKeysTheDesignExampleLeavesOut() {
            ServerSpec spec = ServerSpecLoader.load(EXAMPLES.resolve("every-key.yaml"), ENV);

            assertThat(spec.dataDir()).isEqualTo(Path.of("/var/lib/hone"));
            assertThat(spec.store()).isEqualTo("jdbc:postgresql://db.example.com/hone");
            assertThat(spec.publicUrl()).isEqualTo("https://hone.example.com");
            assertThat(spec.limits()).isEqualTo(new Limits(3, 6, 2, 256L * 1024 * 1024, 2));
            assertThat(spec.queue()).isEqualTo(new Queue(false));
            assertThat(spec.notifications().github().apiUrl()).isEqualTo("https://github.example.com/api/v3");
            assertThat(spec.notifications().webhook()).isEqualTo(
                    new Webhook("https://ci.example.com/hone?key=tok-url-0008", "tok-sign-0009"));
            assertThat(spec.notifications().email().from()).isEqualTo("Hone <hone@example.com>");
            assertThat(spec.trialEnv().pass()).containsExactly("WANDB_API_KEY", "CUDA_*");
            assertThat(spec.readAccess()).isEqualTo(ReadAccess.TOKEN);
            assertThat(spec.repositories()).extracting(Repository::initialRun).containsExactly(true, false);
            assertThat(spec.slurm().sharedDir()).isEqualTo(Path.of("/srv/hone"));
        }

        @Test
        void readAccessIsPublicOnALoopbackAddressAndTokenElsewhereUnlessSet() {
            for (String local : List.of("127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1", "localhost")) {
                assertThat(ServerSpecLoader.defaults(ENV).readAccess(new Listen(local, 9000))).as(local)
                        .isEqualTo(ReadAccess.PUBLIC);
            }
            for (String reachable : List.of("0.0.0.0", "::", "10.0.0.5", "192.168.1.2", "hone.example.com",
                    "localhost.example.com", "127.0.0.1.example.com")) {
                assertThat(ServerSpecLoader.defaults(ENV).readAccess(new Listen(reachable, 8080))).as(reachable)
                        .isEqualTo(ReadAccess.TOKEN);
            }
            assertThat(parse("listen: 0.0.0.0:8080\nread_access: public\n").readAccess(new Listen("0.0.0.0", 8080)))
                    .isEqualTo(ReadAccess.PUBLIC);
            assertThat(parse("read_access: token\n").readAccess(ServerSpec.DEFAULT_LISTEN))
                    .isEqualTo(ReadAccess.TOKEN);
        }

        @Test
        void listenTakesHostAndPortOrEveryInterfaceOrAPort() {
            assertThat(parse("listen: 10.0.0.5:9000\n").listen()).isEqualTo(new Listen("10.0.0.5", 9000));
            assertThat(parse("listen: \":9000\"\n").listen()).isEqualTo(new Listen("0.0.0.0", 9000));
            assertThat(parse("listen: 9000\n").listen()).isEqualTo(new Listen("127.0.0.1", 9000));
            assertThat(parse("listen: \"9000\"\n").listen()).isEqualTo(new Listen("127.0.0.1", 9000));
            assertThat(parse("listen: \"[::1]:9000\"\n").listen()).isEqualTo(new Listen("::1", 9000));
            assertThat(new Listen("::1", 9000).address()).isEqualTo("[::1]:9000");
        }

        @Test
        void aLeadingTildeIsHome() {
            assertThat(parse("data_dir: ~/hone-data\n").dataDir()).isEqualTo(Path.of("/home/hone/hone-data"));
            assertThat(parse("data_dir: \"~\"\n").dataDir()).isEqualTo(Path.of("/home/hone"));
            assertThat(parse("data_dir: data/hone\n").dataDir()).isEqualTo(Path.of("data/hone"));
        }

        @Test
        void pollZeroMeansWebhooksOnly() {
            Repository repository = parse("repositories:\n  - {url: /srv/git/x, poll: 0}\n").repositories().getFirst();
            assertThat(repository.poll()).isZero();
            assertThat(repository.polls()).isFalse();
        }

        @Test
        void valuesComeFromTheEnvironmentTypedByWhereTheyAre() {
            ServerSpec spec = parse("listen: ${LISTEN}\nlimits: {runs: \"${RUNS}\", trials: \"${TRIALS:-8}\"}\n",
                    Map.of("LISTEN", "0.0.0.0:7000", "RUNS", "3"));
            assertThat(spec.listen()).isEqualTo(new Listen("0.0.0.0", 7000));
            assertThat(spec.limits()).isEqualTo(new Limits(3, 8));
        }

        @Test
        void retentionKeepsWorkspacesAWeekLogsNinetyDaysAndRunsForeverUnlessSet() {
            assertThat(parse("").retention()).isEqualTo(new ServerSpec.Retention(Duration.ofDays(7),
                    Duration.ofDays(90), null, Set.of(ServerSpec.Retention.Keep.BEST, ServerSpec.Retention.Keep.SERVED)));
            assertThat(parse("retention:\n").retention()).isEqualTo(ServerSpec.Retention.DEFAULT);
        }

        @Test
        void theReadmesRetentionExampleIsTheDefault() throws IOException {
            String readme = Files.readString(Path.of("README.md"));
            String block = readme.substring(readme.indexOf("```yaml\nretention:", readme.indexOf("**Retention.**")));
            String yaml = block.substring("```yaml\n".length(), block.indexOf("```", 3));

            assertThat(parse(yaml).retention()).isEqualTo(ServerSpec.Retention.DEFAULT);
        }

        @Test
        void theReadmesControllerExampleIsTheDefaultAndALeaseIsRenewedEveryThirdOfItUnlessSaid() throws IOException {
            String readme = Files.readString(Path.of("README.md"));
            String block = readme.substring(readme.indexOf("```yaml\ncontroller:",
                    readme.indexOf("### More than one controller")));
            String yaml = block.substring("```yaml\n".length(), block.indexOf("```", 3));

            assertThat(parse(yaml).controller()).isEqualTo(ServerSpec.Controller.DEFAULT)
                    .isEqualTo(new ServerSpec.Controller(Duration.ofSeconds(30), Duration.ofSeconds(10)));
            assertThat(parse("controller: {lease: 3s}\n").controller())
                    .isEqualTo(new ServerSpec.Controller(Duration.ofSeconds(3), Duration.ofSeconds(1)));
            assertThat(parse("controller: {lease: 1m, renew: 5s}\n").controller())
                    .isEqualTo(new ServerSpec.Controller(Duration.ofMinutes(1), Duration.ofSeconds(5)));
        }

        @Test
        void retentionReadsDurationsForeverAndWhatIsKept() {
            ServerSpec.Retention retention = parse("retention: {workspaces: 36h, logs: forever, runs: \"${RUNS}\", "
                    + "keep: [served]}\n", Map.of("RUNS", "365d")).retention();

            assertThat(retention).isEqualTo(new ServerSpec.Retention(Duration.ofHours(36), null,
                    Duration.ofDays(365), Set.of(ServerSpec.Retention.Keep.SERVED)));
            assertThat(parse("retention: {keep: []}\n").retention().keep()).isEmpty();
        }

        @Test
        void theQueuePolicyComesFromTheEnvironmentToo() {
            ServerSpec spec = parse("limits: {runs_per_project: \"${PER_PROJECT}\"}\n"
                    + "queue: {coalesce: \"${COALESCE}\"}\n", Map.of("PER_PROJECT", "1", "COALESCE", "false"));
            assertThat(spec.limits()).isEqualTo(new Limits(2, 4, 1));
            assertThat(spec.queue()).isEqualTo(new Queue(false));
        }
    }

    @Nested
    class ReportingProblems {

        @Test
        void reportsEveryProblemWithPositionAndTheWayOut() {
            assertThatThrownBy(() -> parse("listen: 0.0.0.0:99999\nexecuter: docker\n")).hasMessage("""
                    hone-server.yaml:1:9: listen: the port must be between 1 and 65535, got "0.0.0.0:99999"
                    hone-server.yaml:2:1: unknown key "executer" — did you mean "executor"?
                    Fix these in hone-server.yaml and start Hone again.""");
        }

        @Test
        void refusesMappingsNestedDeeperThanAnyConfigurationInsteadOfOverflowingTheStack() {
            // the YAML library composes nested collections by recursion: thousands of levels overflowed the stack
            String deep = "repositories: " + "{a: ".repeat(5_000) + "1" + "}".repeat(5_000) + "\n";

            assertThat(problems(deep)).containsExactly("hone-server.yaml:1:267: mappings and lists are nested "
                    + "more than 64 deep here — a configuration needs only a few levels");
        }

        @Test
        void refusesATagWithSpacesAroundItWhichTheYamlLibraryCannotBuild() {
            // found by ConfigFuzzTest: an IllegalArgumentException from the YAML library's composer
            assertThat(problems("listen: !<%20> 127.0.0.1:8080\n")).containsExactly("hone-server.yaml:1:9: not valid "
                    + "YAML: the tag \" \" is empty or has spaces around it — remove the tag");
        }

        @Test
        void anEmailChannelNeedsAServerAndASender() {
            assertThat(problems("notify:\n  email: {}\n")).containsExactly(
                    "hone-server.yaml:2:3: notify.email.smtp: is required — the server that sends the mail, "
                            + "e.g. smtp: {host: smtp.example.com}",
                    "hone-server.yaml:2:3: notify.email.from: is required — the sender's address, "
                            + "e.g. from: hone@example.com");
        }

        @Test
        void aUrlWithoutSchemeGetsADidYouMean() {
            assertThat(problems("repositories:\n  - url: github.com/acme/digits.git\n")).containsExactly(
                    "hone-server.yaml:2:10: repositories[0].url: must be a git URL (https://host/path, "
                            + "ssh://host/path, git@host:path, file:///path or an absolute path), got "
                            + "\"github.com/acme/digits.git\" — did you mean "
                            + "\"https://github.com/acme/digits.git\"?");
        }

        @Test
        void theStoreMustBeSqliteOrAJdbcUrl() {
            assertThat(problems("store: mysql\n")).containsExactly(
                    "hone-server.yaml:1:8: store: must be sqlite or a PostgreSQL JDBC URL such as "
                            + "jdbc:postgresql://db.example.com/hone, got \"mysql\"");
        }

        @Test
        void runsBeyondTheDefaultTrialsAreAProblemOfRuns() {
            assertThat(problems("limits: {runs: 5}\n")).containsExactly(
                    "hone-server.yaml:1:16: limits.runs: must be at most limits.trials (4, the default), got 5 — "
                            + "every running run needs a trial; lower runs or raise trials");
        }

        @Test
        void runsPerProjectBeyondTheDefaultRunsIsAProblemOfRunsPerProject() {
            assertThat(problems("limits: {runs_per_project: 3}\n")).containsExactly(
                    "hone-server.yaml:1:28: limits.runs_per_project: must be at most limits.runs (2, the default), "
                            + "got 3 — a project's runs count among the installation's; lower runs_per_project or "
                            + "raise runs");
        }

        @Test
        void reportsEveryProblemOfTheQueuePolicyAtOnce() {
            assertThatThrownBy(() -> parse("limits: {runs: 4, runs_per_project: 0}\nqueue: {coalesce: 1, "
                    + "coalese: true}\nqeue: {}\n")).hasMessage("""
                    hone-server.yaml:1:37: limits.runs_per_project: must be a positive integer, got 0
                    hone-server.yaml:2:19: queue.coalesce: must be true or false, got 1
                    hone-server.yaml:2:22: queue: unknown key "coalese" — did you mean "coalesce"?
                    hone-server.yaml:3:1: unknown key "qeue" — did you mean "queue"?
                    Fix these in hone-server.yaml and start Hone again.""");
        }

        @Test
        void aTildeNeedsHome() {
            assertThat(problems("data_dir: ~/data\n", Map.of())).containsExactly(
                    "hone-server.yaml:1:11: data_dir: starts with ~, but HOME is not set — write the full path or "
                            + "set HOME where Hone runs");
        }

        @Test
        void reportsEveryRetentionProblemAtOnce() {
            assertThat(problems("retention:\n  workspaces: 7 days\n  logs: 0s\n  runs: -1d\n  keep: [best, model]\n"))
                    .containsExactly(
                            "hone-server.yaml:2:15: retention.workspaces: must be a duration such as 12h, 7d or 90d, or "
                                    + "forever, got \"7 days\"",
                            "hone-server.yaml:3:9: retention.logs: must be more than 0, got \"0s\" — write a duration "
                                    + "such as 7d, or forever to keep it always",
                            "hone-server.yaml:4:9: retention.runs: must be a duration such as 12h, 7d or 90d, or "
                                    + "forever, got \"-1d\"",
                            "hone-server.yaml:5:16: retention.keep[1]: must be one of best | served, got \"model\"");
        }

        @Test
        void anSmtpPasswordNeedsAUsername() {
            assertThat(problems("notify:\n  email:\n    smtp: {host: mx, password: x}\n    from: a@b\n"))
                    .containsExactly("hone-server.yaml:3:5: notify.email.smtp.username: is required with a "
                            + "password — e.g. username: \"${SMTP_USER}\"");
        }
    }

    @Nested
    class LoadingTheFile {

        @TempDir
        Path dir;

        @Test
        void aFileGivenButAbsentIsAProblemThatSaysWhatToDo() {
            Path file = dir.resolve("hone-server.yaml");

            assertThatThrownBy(() -> ServerSpecLoader.load(file, ENV))
                    .isInstanceOf(InvalidSpecException.class)
                    .hasMessage("hone-server.yaml: file not found: " + file + ": create it or drop --config");
        }

        @Test
        void namesTheFileAsGivenInProblems() throws IOException {
            Path file = Files.writeString(dir.resolve("server.yaml"), "limits: {runs: two}\n");

            assertThatThrownBy(() -> ServerSpecLoader.load(file, ENV)).hasMessage(
                    file + ":1:16: limits.runs: must be a positive integer, got \"two\"\n"
                            + "Fix this in " + file + " and start Hone again.");
        }
    }
}
