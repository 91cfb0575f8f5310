package dev.hone.pipeline;

import dev.hone.exec.ProcessResult;
import java.util.List;
import java.util.regex.Pattern;

/** Turns a failed command's output into the one line a developer needs: the exception, or the last line. */
final class Failures {

    /** Python's last traceback line: "ValueError: bad input", "KeyboardInterrupt", "torch.cuda.OutOfMemoryError: …". */
    private static final Pattern EXCEPTION =
            Pattern.compile("^[A-Za-z_][\\w.]*(Error|Exception|Interrupt|Exit|Warning)\\b(:.*)?$");

    private Failures() {}

    static String describe(ProcessResult result) {
        if (result.detail() != null && !result.detail().isBlank()) {
            return result.detail();
        }
        String line = exceptionLine(result.tail());
        return line == null ? "exited with code " + result.exitCode() + " and printed nothing"
                : line + " (exit " + result.exitCode() + ")";
    }

    static String exceptionLine(List<String> tail) {
        String last = null;
        for (int i = tail.size() - 1; i >= 0; i--) {
            String line = tail.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (last == null) {
                last = line;
            }
            if (EXCEPTION.matcher(line).matches()) {
                return line;
            }
        }
        return last;
    }
}
