package dev.hone.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hone.spec.ServerSpecLoader;
import dev.hone.spec.SpecLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fuzzes the loading of {@code hone.yaml} (pushed by anyone with write access to a watched repository) and of
 * {@code hone-server.yaml}, from the bytes of the file: encoding, YAML syntax, every key's reader, {@code ${VAR}}.
 * Seeds: {@code src/test/resources/dev/hone/fuzz/ConfigFuzzTestInputs/<method>/}. Without {@code JAZZER_FUZZ} each
 * seed runs once as a regression test; with {@code JAZZER_FUZZ=1} Jazzer mutates them for {@code maxDuration}.
 */
class ConfigFuzzTest {

    private static final Map<String, String> ENV = Map.of("HOME", "/home/hone", "TOKEN", "s3cret",
            "DATA", "/data", "EMPTY", "");
    private static final Path DIR = directory();

    @FuzzTest(maxDuration = "15s")
    void honeYaml(byte[] file) {
        Path path = write("hone.yaml", file);
        Outcomes.valueOrRefusal(() -> SpecLoader.load(path, "digits", ENV));
    }

    @FuzzTest(maxDuration = "15s")
    void honeServerYaml(byte[] file) {
        Path path = write("hone-server.yaml", file);
        Outcomes.valueOrRefusal(() -> ServerSpecLoader.load(path, ENV));
    }

    private static Path write(String name, byte[] content) {
        try {
            return Files.write(DIR.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory() {
        try {
            return Files.createTempDirectory("hone-fuzz-config");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
