package dev.hone.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One command to run in a session.
 *
 * @param command   a shell command line, run by {@code sh -c} in the workspace
 * @param env       variables added to the session's environment (the trial contract: HONE_*)
 * @param logFile   where the combined stdout/stderr is written as it arrives
 * @param timeout   null: none; past it the whole process tree is killed
 * @param onLine    receives every output line as it arrives (metric parsing, live progress); may be a no-op
 */
public record ProcessRequest(String command, Map<String, String> env, Path logFile, Duration timeout,
                             Consumer<String> onLine) {}
