package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A SQLite store takes one {@code hone serve}: a second process on the same data directory stops, saying why. */
class SqliteOneControllerTest {

    @TempDir
    Path home;

    @Test
    void aSecondHoneServeOnTheSameSqliteStoreStopsAtStartSayingWhatToDo() throws Exception {
        Path data = home.resolve("data");
        Path first = Files.writeString(home.resolve("first.yaml"), "listen: 127.0.0.1:" + Ports.free() + "\n");
        Path second = Files.writeString(home.resolve("second.yaml"), "listen: 127.0.0.1:" + Ports.free() + "\n");
        try (ServeProcess hone = ServeProcess.start(home, first, data)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            ProcessBuilder builder = new ProcessBuilder(java, "-cp", classpath, "dev.hone.cli.Main", "serve",
                    "--config", second.toString(), "--data", data.toString()).redirectErrorStream(true);
            builder.environment().put("HOME", home.toString());
            Process refused = builder.start();
            String said = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(refused.exitValue()).as(said).isNotZero();
            assertThat(said).contains("another hone serve uses store " + data.resolve("hone.db").toAbsolutePath()
                    + ": a SQLite store takes one hone serve at a time — stop the other one, or keep the store in"
                    + " PostgreSQL (store: jdbc:postgresql://…) to run more than one on it");
            assertThat(hone.process.isAlive()).as("the first one serves on").isTrue();
        }
    }
}
