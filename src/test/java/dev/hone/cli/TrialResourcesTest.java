package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.run.RunStatus;
import dev.hone.run.Usage;
import dev.hone.server.Serve;
import dev.hone.spec.ServerSpec;
import dev.hone.store.NewRun;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each trial used, through every door: the summary of {@code hone run}, {@code hone trials} (its "resources:"
 * line and {@code --json}) and the REST API.
 */
class TrialResourcesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    static final Usage ON_A_GPU = new Usage(Duration.ofMillis(12_400), Duration.ofMillis(11_900), 432_013_312L,
            3_435_973_837L, 87.5, "cgroup + nvidia-smi");
    static final String ON_A_GPU_JSON = "{\"wall_s\":12.4,\"cpu_s\":11.9,\"peak_memory_bytes\":432013312,"
            + "\"gpu_memory_peak_bytes\":3435973837,\"gpu_utilization_mean\":87.5,\"source\":\"cgroup + nvidia-smi\"}";

    @TempDir
    Path home;

    @Test
    void aTrialsResourcesAreALineOfHoneTrialsAndAnObjectOfItsJsonAndOfTheApi() throws IOException {
        Path data = home.resolve("data");
        Files.createDirectories(data);
        long run;
        try (Store store = Stores.open(data.resolve("hone.db").toString())) {
            run = store.createRun(new NewRun("digits", "/src/digits", null, null, null, null, null, T0));
            store.saveTrial(run, Trial.succeeded(1, Map.of("c", 1L), 0.9, List.of(), 12_400).withResources(ON_A_GPU),
                    T0, null);
            store.saveTrial(run, new Trial(2, Map.of("c", 2L), TrialState.FAILED, null, List.of(), 1, 900, "exit 1",
                    "").withResources(new Usage(Duration.ofMillis(900), Duration.ofMillis(40), 9_000_000L, null,
                    null, "/proc")), T0, null);
            store.saveTrial(run, new Trial(3, Map.of("c", 3L), TrialState.KILLED, null, List.of(), null, 0,
                    "killed: the study stopped while the trial waited for a slot (limits.trials)", ""), T0, null);
            store.finishRun(run, RunStatus.SUCCEEDED, 1, T0.plusSeconds(20));
        }
        Cli cli = new Cli(home);

        assertThat(cli.run("trials", "--data", data.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("""
                    1  succeeded       0.9000     12.4s  c=1
                       resources: 12.4s wall, 11.9s CPU, 412 MiB peak memory, 3.2 GiB GPU memory peak, 88% GPU utilization
                    2  failed               -      0.9s  c=2
                       exit 1
                       resources: 0.9s wall, 0.0s CPU, 9 MiB peak memory
                    3  killed               -      0.0s  c=3
                       killed: the study stopped while the trial waited for a slot (limits.trials)
                """);

        assertThat(cli.run("trials", "--json", "--data", data.toString())).as(cli.err()).isZero();
        JsonNode trials = JSON.readTree(cli.out()).get("trials");
        assertThat(trials.get(0).get("resources").toString()).isEqualTo(ON_A_GPU_JSON);
        assertThat(trials.get(1).get("resources").toString()).isEqualTo("{\"wall_s\":0.9,\"cpu_s\":0.04,"
                + "\"peak_memory_bytes\":9000000,\"gpu_memory_peak_bytes\":null,\"gpu_utilization_mean\":null,"
                + "\"source\":\"/proc\"}");
        assertThat(trials.get(2).get("resources").isNull()).as("never started: not known").isTrue();

        try (Serve serve = new Serve(data, ServerSpec.ReadAccess.PUBLIC)) {
            JsonNode api = JSON.readTree(serve.get("/api/runs/" + run + "/trials").body());
            assertThat(api.get(0).get("resources").toString()).isEqualTo(ON_A_GPU_JSON);
            assertThat(JSON.readTree(serve.get("/api/runs/" + run).body()).get("trials").get(0).get("resources")
                    .toString()).isEqualTo(ON_A_GPU_JSON);
        }
    }

    @Test
    void honeRunMeasuresWhatEachTrialUsed() throws IOException {
        Path dir = Files.createDirectories(home.resolve("burn"));
        Files.writeString(dir.resolve("hone.yaml"), "metric: {name: accuracy}\n");
        Files.writeString(dir.resolve("main.py"), """
                import time
                held = bytearray(b"x") * (64 * 1024 * 1024)
                start = time.process_time()
                while time.process_time() - start < 0.3:
                    pass
                print("accuracy=0.9")
                """);
        Cli cli = new Cli(home);
        Path out = home.resolve("out.json");

        assertThat(cli.run("run", dir.toString(), "--executor", "local", "--json", out.toString()))
                .as(cli.out() + cli.err()).isZero();

        JsonNode resources = JSON.readTree(out.toFile()).get("trials").get(0).get("resources");
        List<String> keys = new ArrayList<>();
        resources.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("wall_s", "cpu_s", "peak_memory_bytes", "gpu_memory_peak_bytes",
                "gpu_utilization_mean", "source");
        assertThat(resources.get("cpu_s").asDouble()).as(resources.toString()).isBetween(0.3, 10.0);
        assertThat(resources.get("wall_s").asDouble()).as(resources.toString()).isBetween(0.3, 60.0);
        assertThat(resources.get("peak_memory_bytes").asLong()).as(resources.toString())
                .isBetween(64L << 20, 1L << 30);
        assertThat(resources.get("gpu_memory_peak_bytes").isNull()).isTrue();
        assertThat(resources.get("gpu_utilization_mean").isNull()).isTrue();
        assertThat(resources.get("source").asText()).isIn("cgroup", "cgroup + /proc", "/proc");
    }
}
