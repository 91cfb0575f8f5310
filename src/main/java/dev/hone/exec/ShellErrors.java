package dev.hone.exec;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Explains the exit codes the shell itself produces, from the lines it printed: dash ("sh: 1: foo: not found"),
 * bash ("sh: line 1: foo: command not found") and busybox ("sh: foo: not found").
 */
public final class ShellErrors {

    private static final String SHELL_PREFIX = "^\\S+: (?:line )?(?:\\d+: )?";
    private static final Pattern NOT_FOUND = Pattern.compile(SHELL_PREFIX + "(.+?): (?:command )?not found$");
    private static final Pattern NOT_EXECUTABLE = Pattern.compile(SHELL_PREFIX + "(.+?): [Pp]ermission denied$");

    private ShellErrors() {}

    /** Why a command that exited with {@code exitCode} failed, or null when the exit code says it all. */
    /**
     * What a shell's own exit code means, from the last lines it printed (dash, bash, busybox messages): "command
     * not found: pythn3 (exit 127)", a permission problem (126), a signal (128 + n); null for any other code.
     * Shared by every executor, since every one runs commands with {@code sh -c}.
     */
    public static String detail(int exitCode, List<String> tail) {
        if (exitCode == 127) {
            String command = lastMatch(NOT_FOUND, tail);
            return command == null ? null : "command not found: " + command + " (exit 127)";
        }
        if (exitCode == 126) {
            String command = lastMatch(NOT_EXECUTABLE, tail);
            return command == null ? null
                    : "permission denied: " + command + " (exit 126): make it executable (chmod +x) or run it"
                      + " with its interpreter";
        }
        if (exitCode > 128 && exitCode <= 128 + 64) {
            return "killed by signal " + (exitCode - 128) + " (exit " + exitCode + ")";
        }
        return null;
    }

    private static String lastMatch(Pattern pattern, List<String> tail) {
        for (int i = tail.size() - 1; i >= 0; i--) {
            Matcher matcher = pattern.matcher(tail.get(i));
            if (matcher.matches()) {
                return matcher.group(1);
            }
        }
        return null;
    }
}
