package dev.hone.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.exec.Executor;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.ProcessResult.Ending;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A container with memory: 256m and a pids limit of 64: what runs past them is stopped and recorded as such. */
@ExtendWith(DockerAvailable.class)
class DockerLimitsTest {

    @TempDir
    static Path data;
    static Runs run;
    static Executor.Session session;
    static int trials;

    @BeforeAll
    static void open() {
        run = new Runs(data);
        session = new DockerExecutor(System.getenv(), new DockerExecutor.Options(64, Duration.ofSeconds(2)))
                .open(run.workspace, run.config("hone/python", 256L * 1024 * 1024, false));
    }

    @AfterAll
    static void close() {
        if (session != null) {
            session.close();
        }
    }

    private static ProcessResult trial(String command) {
        return session.run(run.trial(++trials, command, Duration.ofMinutes(1)));
    }

    @Test
    void aTrialAllocatingPastTheMemoryLimitIsRecordedOomKilled() {
        ProcessResult result = trial("echo allocating; python3 -c 'x = bytearray(1024 ** 3); print(len(x))'");

        assertThat(result.ending()).as(result.toString()).isEqualTo(Ending.OOM_KILLED);
        assertThat(result.detail()).isEqualTo("killed: out of memory (limit 256 MiB)");
        assertThat(result.tail()).startsWith("allocating");
        assertThat(trial("echo the container lives on").succeeded()).isTrue();
    }

    @Test
    void aForkBombStopsAtThePidsLimitWithAClearRecord() throws Exception {
        // bounded: at most 200 children, each sleeping 60 s at most, all killed when the trial ends
        ProcessResult result = trial("python3 -c '\n"
                + "import os, sys, time\n"
                + "kids = 0\n"
                + "try:\n"
                + "    for i in range(200):\n"
                + "        if os.fork() == 0:\n"
                + "            time.sleep(60)\n"
                + "            os._exit(0)\n"
                + "        kids += 1\n"
                + "except OSError as e:\n"
                + "    print(\"fork refused after\", kids, \"children:\", e)\n"
                + "    sys.exit(1)\n"
                + "'");

        assertThat(result.ending()).as(result.toString()).isEqualTo(Ending.EXITED);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.tail().getLast()).startsWith("fork refused after");
        assertThat(result.detail()).isEqualTo("the process limit was reached (pids limit 64): the command tried to"
                + " start more processes or threads than the container allows (exit 1)");
        // the agent reports the end only once the trial's processes are gone, so the next trial can start at once
        ProcessResult after = trial("echo forks work again; ls /proc | grep -c '^[0-9]'");
        assertThat(after.succeeded()).as(after.toString()).isTrue();
        assertThat(Integer.parseInt(after.tail().getLast())).as("processes in the container").isLessThan(16);
    }
}
