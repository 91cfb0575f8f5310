package dev.hone.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.run.Usage;
import dev.hone.spec.ServerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the local executor measures of a command, with and without a cgroup of its own (the contract's
 * {@code measuresTheCpuTimeAndPeakMemoryOfATrial} runs with whatever this machine gives).
 */
class UsageMeterTest {

    private static final Map<String, String> ENV = Map.of("PATH", System.getenv("PATH"));
    /** Holds MIB mebibytes (filled, so they are resident), burns SECONDS of CPU time, then keeps them a while. */
    private static final String HOLD_AND_BURN = "python3 -c \"import sys, time; held = bytearray(b'x') * (int(sys.argv[1])"
            + " * 1024 * 1024); start = time.process_time()\nwhile time.process_time() - start < float(sys.argv[2]):"
            + " pass\ntime.sleep(float(sys.argv[3]))\" ";

    @TempDir
    Path workspace;

    @Test
    void withoutACgroupTheCpuTimeOfTheChildrenAShellReapedAndThePeakResidentSetComeFromProc() throws IOException {
        // the shell outlives its child by 0.5 s, so a sample sees the child's time in the shell's cutime/cstime
        Usage usage = run(noCgroups(), HOLD_AND_BURN + "100 0.5 0; sleep 0.5");

        assertThat(usage.source()).isEqualTo("/proc");
        assertThat(usage.cpu()).as(usage.toString()).isBetween(Duration.ofMillis(450), Duration.ofSeconds(5));
        assertThat(usage.peakMemoryBytes()).as(usage.toString()).isBetween(100L << 20, 400L << 20);
    }

    @Test
    void theMemoryOfProcessesRunningAtOnceIsAddedUp() throws IOException {
        // each holds 60 MiB for 1 s; both run at once
        Usage usage = run(noCgroups(), HOLD_AND_BURN + "60 0 1 & " + HOLD_AND_BURN + "60 0 1 & wait");

        assertThat(usage.peakMemoryBytes()).as(usage.toString()).isBetween(120L << 20, 500L << 20);
    }

    @Test
    void withACgroupOfItsOwnTheCpuTimeIsTheCgroupsEvenForWhatRanAfterTheLastSample() throws IOException {
        Cgroups.Availability here = Cgroups.detect();
        Usage usage = run(here, HOLD_AND_BURN + "10 0.5 0");

        if (here.cgroups().isPresent()) {
            assertThat(usage.source()).isIn("cgroup", "cgroup + /proc");
            assertThat(usage.cpu()).as(usage.toString()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
        } else {
            assertThat(usage.source()).as(here.line()).isEqualTo("/proc");
        }
    }

    @Test
    void readsTheTicksOfAProcessWhoseNameHoldsParenthesesAndSpaces(@TempDir Path proc) throws IOException {
        Path stat = proc.resolve("stat");
        Files.writeString(stat, "4242 (py (x) y) S 1 4242 4242 0 -1 4194560 1 0 0 0 150 25 7 3 20 0 1 0 1 2 3\n");

        assertThat(UsageMeter.ticks(stat)).isEqualTo(150 + 25 + 7 + 3);
        assertThat(UsageMeter.ticks(proc.resolve("gone"))).isZero();
    }

    private Cgroups.Availability noCgroups() throws IOException {
        return Cgroups.under(Files.createTempDirectory(workspace, "not-a-cgroup"), "/");
    }

    private Usage run(Cgroups.Availability isolation, String command) {
        try (Executor.Session session = new LocalExecutor(ENV, Duration.ofMillis(300), ServerSpec.DEFAULT_LOG_SIZE,
                isolation).open(workspace, new SessionConfig("usage", "usage", null, null, null, true, Map.of()))) {
            ProcessResult result = session.run(new ProcessRequest(command, Map.of(), null, Duration.ofMinutes(1),
                    line -> {}));
            assertThat(result.succeeded()).as(result.toString()).isTrue();
            assertThat(result.usage().wall()).isEqualTo(result.duration());
            return result.usage();
        }
    }
}
