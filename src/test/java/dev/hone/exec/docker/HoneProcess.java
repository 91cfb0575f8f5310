package dev.hone.exec.docker;

import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.SessionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A stand-in for `hone run` in its own JVM, for the tests that interrupt or kill Hone: opens a Docker session on
 * run {@code args[1]} under data dir {@code args[0]}, says "running" once a trial runs, and trains forever.
 */
public final class HoneProcess {

    public static void main(String[] args) throws Exception {
        Path workspace = Files.createDirectories(Path.of(args[0], "runs", args[1], "workspace"));
        Executor.Session session = new DockerExecutor(System.getenv()).open(workspace,
                new SessionConfig(args[1], "interrupted", "hone/python", null, null, false, Map.of()));
        session.run(new ProcessRequest("echo training; sleep 300", Map.of(), null, null, line -> {
            System.out.println("running");
            System.out.flush();
        }));
    }
}
