package dev.hone.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.testing.Parts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The image images/build-offline.sh server makes (.ci/docker.sh builds it): it starts hone serve as a user that
 * is not root, answers /health, and trains with the local executor inside it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServerImageTest {

    private final String container = "hone-image-test-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void start() {
        Parts.require(Commands.works("docker", "image", "inspect", "hone/server"),
                "the image hone/server (images/build-offline.sh server, run by .ci/docker.sh)");
        Commands.Result run = Commands.run(List.of("docker", "run", "-d", "--name", container,
                "-p", "127.0.0.1::8080", "hone/server"));
        assertThat(run.exit()).as(run.output()).isZero();
    }

    @AfterEach
    void remove() {
        Commands.run(List.of("docker", "rm", "-f", container));
    }

    @Test
    void itServesAsAUserThatIsNotRootAndTrainsInside() throws InterruptedException {
        String port = Commands.run(List.of("docker", "port", container, "8080/tcp")).output().strip();
        String address = port.substring(port.lastIndexOf(':') + 1);

        String health = Commands.awaitHealth("http://127.0.0.1:" + address + "/health",
                () -> Commands.run(List.of("docker", "logs", container)).output());

        assertThat(health).isEqualTo("{\"status\":\"ok\"}");
        assertThat(Commands.run(List.of("docker", "exec", container, "id", "-un")).output()).isEqualTo("hone\n");
        assertThat(Commands.run(List.of("docker", "logs", container)).output())
                .contains("hone: serving on http://0.0.0.0:8080 · 0 repositories watched · data in /var/lib/hone");

        Commands.Result demo = Commands.run(List.of("docker", "exec", "-w", "/tmp", container, "hone", "demo"),
                Map.of(), Duration.ofMinutes(3));

        assertThat(demo.exit()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("target reached: accuracy");
    }
}
