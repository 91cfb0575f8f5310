package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C on a real {@code hone run} process: the run ends cleanly, its trials are recorded killed, nothing is left. */
class InterruptTest {

    @TempDir
    Path home;

    @Test
    void ctrlCKillsTheRunningTrialsRecordsThemAndLeavesNoProcess() throws Exception {
        String marker = "sleep 417.321";
        Path dir = Files.createDirectories(home.resolve("long"));
        Files.writeString(dir.resolve("hone.yaml"), """
                train: {command: sh main.sh}
                metric: {target: 0.9}
                tune:
                  params: {x: {min: 0, max: 1}}
                  parallel: 2
                  max_trials: 4
                """);
        Files.writeString(dir.resolve("main.sh"), "echo started\n" + marker + " &\nwait\n");
        Files.writeString(dir.resolve("main.py"), "");
        Path data = home.resolve("data");
        Path out = home.resolve("out.json");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process hone = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.hone.cli.Main",
                "run", dir.toString(), "--data", data.toString(), "--json", out.toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("hone.out").toFile()).start();
        try {
            awaitMarkers(marker, 2);

            new ProcessBuilder("kill", "-INT", Long.toString(hone.pid())).start().waitFor();

            assertThat(hone.waitFor(30, TimeUnit.SECONDS)).as("hone exits after Ctrl-C").isTrue();
            assertThat(hone.exitValue()).isEqualTo(130);
            JsonNode summary = new ObjectMapper().readTree(out.toFile());
            assertThat(summary.get("status").asText()).isEqualTo("cancelled");
            assertThat(summary.get("trials").size()).isEqualTo(2);
            summary.get("trials").forEach(t -> assertThat(t.get("state").asText()).isEqualTo("killed"));
            assertThat(markers(marker)).isEmpty();

            Cli cli = new Cli(home);
            assertThat(cli.run("trials", "--data", data.toString())).isZero();
            assertThat(cli.out()).contains("cancelled").containsPattern("1\\s+killed").containsPattern("2\\s+killed");
        } finally {
            hone.destroyForcibly();
            markers(marker).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static List<ProcessHandle> markers(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(marker)).toList();
    }

    private static void awaitMarkers(String marker, int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (markers(marker).size() < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the trials never started");
            }
            Thread.sleep(50);
        }
    }
}
