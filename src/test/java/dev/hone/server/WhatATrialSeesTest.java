package dev.hone.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.run.RunStatus;
import dev.hone.store.RunRow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under {@code hone serve} a trial runs code anyone who can push wrote: its environment is built, not inherited, and
 * what the installation holds is masked in its output whatever way it got there.
 */
class WhatATrialSeesTest {

    static final String HOOK_SECRET = "tok-hook-7d41c0";
    /** The server's own environment: none of it but PATH, HOME, LANG, … and what trial_env.pass lists may show. */
    static final Map<String, String> SERVER_ENV = Map.of(
            "HONE_API_TOKEN", "tok-api-5b20e9",
            "SMTP_PASSWORD", "tok-smtp-c3a871",
            "AWS_SECRET_ACCESS_KEY", "tok-aws-90ff12",
            "WANDB_API_KEY", "tok-wandb-11aa02",
            "REPO_HOOK_SECRET", HOOK_SECRET,
            "LANG", "C.UTF-8");

    @TempDir
    Path tmp;

    /** Prints every variable the trial has, name=value, and reports a metric. */
    static final String PRINT_ENVIRONMENT = """
            import os
            for name, value in sorted(os.environ.items()):
                print('env ' + name + '=' + value)
            print('accuracy=0.9')
            """;

    @Test
    void aTrialSeesTheAllowListWhatIsPassedAndItsContractAndTheInstallationsSecretsMasked() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        try (Serve serve = serving(repo, List.of("WANDB_API_KEY", "REPO_*"))) {
            String sha = repo.write("hone.yaml", "train: {env: {RUN_LABEL: nightly}}\n").commit("Label");
            repo.push("main");
            RunRow run = serve.awaitFinished(sha, 60);
            assertThat(run.status()).as(serve.output()).isEqualTo(RunStatus.SUCCEEDED);

            String log = serve.get("/api/runs/" + run.id() + "/logs?trial=1").body();
            List<String> names = log.lines().filter(l -> l.startsWith("env "))
                    .map(l -> l.substring(4, l.indexOf('='))).filter(WhatATrialSeesTest::notTheShells).toList();
            assertThat(names).containsExactly("HOME", "HONE_EXEC_TOKEN", "HONE_EXEC_WORKSPACE", "HONE_OUTPUT",
                    "HONE_PARAMS", "HONE_RUN", "HONE_SEED", "HONE_TRIAL", "LANG", "PATH", "REPO_HOOK_SECRET", "RUN_LABEL",
                    "WANDB_API_KEY");
            assertThat(log).contains("env WANDB_API_KEY=tok-wandb-11aa02\n", "env RUN_LABEL=nightly\n",
                    "env LANG=C.UTF-8\n")
                    .as("passed by trial_env, but the repository's webhook secret: masked")
                    .contains("env REPO_HOOK_SECRET=***\n")
                    .doesNotContain("tok-api-5b20e9", "tok-smtp-c3a871", "tok-aws-90ff12", HOOK_SECRET, Serve.TOKEN);
        }
    }

    /**
     * A server in {@link #SERVER_ENV} passing trials {@code pass}, watching {@code repo} (whose main.py prints its
     * environment), each push delivered as a webhook.
     */
    private Serve serving(GitFixture repo, List<String> pass) throws Exception {
        repo.write("main.py", PRINT_ENVIRONMENT).commit("Print the environment");
        repo.push("main");
        Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), HOOK_SECRET)),
                QueuePolicy.of(1), SERVER_ENV, pass);
        repo.postReceiveHook(Hooks.githubPostReceive(serve.base + "/hooks/github", HOOK_SECRET, repo.url(), null));
        return serve;
    }

    /** What sh and the python3 on the PATH (a pyenv shim, say) add on their own, or the machine's locale. */
    static boolean notTheShells(String name) {
        return !Set.of("PWD", "SHLVL", "_").contains(name) && !name.startsWith("LC_") && !name.startsWith("PYENV_")
                && !name.startsWith("_PYENV_");
    }

    @Test
    void aHoneYamlCannotTakeTheServersVariablesIntoItsTrials() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        try (Serve serve = serving(repo, List.of("WANDB_API_KEY"))) {
            String sha = repo.write("hone.yaml", """
                    train:
                      command: python3 main.py --key ${AWS_SECRET_ACCESS_KEY}
                      env: {MAIL: "${SMTP_PASSWORD}", WANDB_API_KEY: "${WANDB_API_KEY}"}
                    """).commit("Take the server's secrets");
            repo.push("main");
            RunRow run = serve.awaitFinished(sha, 60);

            assertThat(run.status()).isEqualTo(RunStatus.INVALID_CONFIG);
            assertThat(serve.get("/api/runs/" + run.id()).body()).contains("hone.yaml:2:12: train.command: takes "
                    + "${AWS_SECRET_ACCESS_KEY} from Hone's environment, which hone serve does not pass to trials: "
                    + "list AWS_SECRET_ACCESS_KEY in trial_env.pass of hone-server.yaml, or leave it out",
                    "hone.yaml:3:15: "
                    + "train.env.MAIL: takes ${SMTP_PASSWORD} from Hone's environment, which hone serve does not pass "
                    + "to trials: list SMTP_PASSWORD in trial_env.pass of hone-server.yaml, or leave it out")
                    .doesNotContain("tok-smtp-c3a871", "tok-aws-90ff12");
            assertThat(tmp.resolve("data/runs/" + run.id() + "/trials")).doesNotExist();
        }
    }
}
