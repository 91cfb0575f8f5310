package dev.hone.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code hone completion bash|zsh}: the shell completion script, picocli's {@link AutoComplete}. zsh runs the same
 * script through its bash completion compatibility ({@code bashcompinit}), which the script turns on itself.
 */
@Command(name = "completion", description = {
        "Prints the shell completion script for bash or zsh.",
        "Load it in the current shell with: source <(hone completion bash)",
        "or keep it: hone completion bash > /etc/bash_completion.d/hone (zsh: add source <(hone completion zsh) to "
                + "~/.zshrc)."})
final class CompletionCommand implements Callable<Integer> {

    /** The shells the script works in. */
    enum Shell { bash, zsh }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        CommandLine hone = spec.root().commandLine();
        hone.getOut().print(AutoComplete.bash("hone", hone));
        hone.getOut().flush();
        return 0;
    }
}
