package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command answers {@code --help} with its own usage, as the error messages tell people to run it. */
class HelpTest {

    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {"run", "demo", "init", "validate", "runs", "trials", "serve", "repo", "repo add",
            "token", "token create", "token list", "token revoke", "notify test", "bench", "bench tuning",
            "bench suggestion", "completion", "backup", "restore"})
    void everyCommandAnswersHelpWithItsUsage(String command) {
        Cli cli = new Cli(home);
        String[] words = command.split(" ");
        String[] args = new String[words.length + 1];
        System.arraycopy(words, 0, args, 0, words.length);
        args[words.length] = "--help";

        int exit = cli.run(args);

        assertThat(exit).as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("Usage: hone " + command + " ").contains("-h, --help");
        assertThat(cli.err()).isEmpty();
    }

    @Test
    void theHintAfterABadOptionWorks() {
        Cli cli = new Cli(home);

        assertThat(cli.run("serve", "--no-such-option")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: Unknown option: '--no-such-option'\n"
                + "Run `hone serve --help` for the options.\n");
        assertThat(cli.run("serve", "--help")).isZero();
        assertThat(cli.out()).startsWith("Usage: hone serve ");
    }

    @Test
    void bareHoneIsAUsageErrorAnsweredWithTheUsage() {
        Cli cli = new Cli(home);

        assertThat(cli.run()).isEqualTo(2);

        assertThat(cli.err()).startsWith("Usage: hone [-hV] [COMMAND]\n").contains("\n  run ");
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void anUnknownCommandGetsTheNearestOne() {
        Cli cli = new Cli(home);

        assertThat(cli.run("rnu")).isEqualTo(2);

        assertThat(cli.err()).isEqualTo("hone: Unmatched argument at index 0: 'rnu'\nDid you mean: run?\n"
                + "Run `hone --help` for the options.\n");
        assertThat(cli.run("notify", "tset")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: Unmatched argument at index 1: 'tset'\nDid you mean: test?\n"
                + "Run `hone notify --help` for the options.\n");
    }

    @Test
    void versionSaysTheVersionAndTheCommitBuilt() throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true).start();
        String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(git.waitFor()).as(head).isZero();
        Cli cli = new Cli(home);

        assertThat(cli.run("--version")).isZero();

        assertThat(cli.out()).matches("hone \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit " + head + "\\)\n");
    }

    @Test
    void notifyTestSaysWhatItDoesInWholeSentences() {
        Cli cli = new Cli(home);

        assertThat(cli.run("notify", "test", "--help")).isZero();

        assertThat(cli.out()).startsWith("""
                Usage: hone notify test [-hV] [--config=FILE] [DIR]
                Sends a test message through every configured channel (hone-server.yaml's
                notify:, and the notify: of DIR's hone.yaml when there is one) and reports each
                result.
                Exit codes: 0 when none failed, 1 otherwise.
                """);
    }

    @Test
    void completionForBashCompletesTheCommandsInARealBash() throws IOException, InterruptedException {
        Cli cli = new Cli(home);
        assertThat(cli.run("completion", "bash")).isZero();
        Path script = Files.writeString(home.resolve("hone.bash"), cli.out());

        Process bash = new ProcessBuilder("bash", "-c", "source " + script + "; COMP_WORDS=(hone ru); COMP_CWORD=1; "
                + "COMP_LINE='hone ru'; COMP_POINT=7; _complete_hone; echo \"${COMPREPLY[@]}\"")
                .redirectErrorStream(true).start();
        String completions = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(bash.waitFor()).as(completions).isZero();
        assertThat(completions).isEqualTo("run runs\n");
        assertThat(cli.run("completion", "zsh")).isZero();
        assertThat(cli.out()).as("zsh runs the bash script through bashcompinit")
                .isEqualTo(Files.readString(script)).contains("autoload -U +X bashcompinit && bashcompinit");
        assertThat(cli.run("completion", "fish")).isEqualTo(2);
        assertThat(cli.err()).startsWith("hone: Invalid value for positional parameter at index 0 (SHELL): "
                + "expected one of [bash, zsh] (case-sensitive) but was 'fish'\n");
    }
}
