package dev.hone.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.testing.Parts;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * deploy/compose.yaml brought up with Debian's docker-compose on the offline images hone/server and hone/postgres:
 * Hone answers /health and keeps its store in the PostgreSQL beside it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ComposeTest {

    private final String project = "honetest" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> env = new java.util.HashMap<>();

    @BeforeEach
    void requireComposeAndImages() throws IOException {
        Parts.require(Commands.works("docker-compose", "version")
                        && Commands.works("docker", "image", "inspect", "hone/server", "hone/postgres"),
                "docker-compose (apt-get install docker-compose) and the images hone/server and hone/postgres"
                        + " (images/build-offline.sh server postgres, run by .ci/docker.sh)");
        try (ServerSocket free = new ServerSocket(0)) {
            env.put("HONE_PORT", "127.0.0.1:" + free.getLocalPort());
        }
        env.put("HONE_DB_PASSWORD", "pw-" + UUID.randomUUID());
        env.put("HONE_API_TOKEN", "tok-" + UUID.randomUUID());
    }

    @AfterEach
    void down() {
        compose("down", "-v", "--timeout", "10");
    }

    @Test
    void honeAnswersWithItsStoreInPostgresql() throws InterruptedException {
        Commands.Result up = compose("up", "-d");
        assertThat(up.exit()).as(up.output()).isZero();

        String health = Commands.awaitHealth("http://" + env.get("HONE_PORT") + "/health",
                () -> compose("logs", "--no-color").output());

        assertThat(health).isEqualTo("{\"status\":\"ok\"}");
        Commands.Result tables = compose("exec", "-T", "postgres", "sh", "-c",
                "$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)/psql -h /tmp -U hone -d hone -tAc"
                        + " 'select count(*) > 0 from flyway_schema_history where success'");
        assertThat(tables.output()).as("Hone's migrations in PostgreSQL").isEqualTo("t\n");
    }

    private Commands.Result compose(String... args) {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-f", "deploy/compose.yaml", "-p", project));
        command.addAll(List.of(args));
        return Commands.run(command, env, Duration.ofMinutes(3));
    }
}
