package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
            "token", "token create", "token list", "token revoke", "notify test", "bench", "bench tuning"})
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
}
