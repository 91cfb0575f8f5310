package dev.hone.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.exec.docker.DockerContainers;
import dev.hone.run.Notifiable;
import dev.hone.spec.Spec;
import dev.hone.store.EventRow;
import dev.hone.testing.Await;
import dev.hone.testing.FakeClock;
import dev.hone.testing.Parts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newly promoted model that fails within {@code serve.probation} (10 minutes of the injected clock) is rolled back
 * to the model it replaced, on a real dockerd; past its probation it is restarted as any model.
 */
class RollbackTest {

    static final String ROLLED_BACK = Notifiable.ROLLED_BACK.type();

    @TempDir
    Path tmp;
    ServeFixture project;
    DockerContainers containers;
    Deployments deployments;
    final FakeClock clock = new FakeClock();
    int port;
    long a;
    long b;

    @BeforeEach
    void serveAThenB() throws IOException {
        Parts.requireDocker();
        project = new ServeFixture(tmp);
        containers = new DockerContainers(System.getenv());
        deployments = new Deployments(containers, clock, d -> Thread.sleep(d), ServeFixture.fast());
        port = ServeFixture.freePort();
        a = project.run("model-A");
        b = project.run("model-B");
        deployments.deploy(project.request(a, port, Spec.RestartPolicy.ON_FAILURE, 1));
        Deployments.Status promoted = deployments.deploy(project.request(b, port, Spec.RestartPolicy.ON_FAILURE, 1));
        assertThat(promoted.runId()).isEqualTo(b);
        assertThat(ServeFixture.get(port, "/predict")).isEqualTo("model-B");
    }

    @AfterEach
    void stop() {
        if (deployments != null) {
            deployments.close();
            containers.close();
            project.close();
        }
    }

    @Test
    void aPromotedModelWhoseHealthCheckFailsWithinItsProbationIsRolledBackToThePreviousOne() throws Exception {
        clock.advance(Duration.ofMinutes(9));
        Files.writeString(project.model(b).resolve("hang"), ""); // its /health hangs from now on

        awaitRolledBackTo(a);

        assertThat(ServeFixture.get(port, "/predict")).isEqualTo("model-A");
        Deployments.Status status = deployments.status(ServeFixture.PROJECT).orElseThrow();
        assertThat(status.detail()).startsWith("the model of run " + b + " was rolled back: its health check failed"
                + " 3 times in a row (GET /health: no answer within 500ms");
        assertThat(project.store.events(b)).extracting(EventRow::type).containsExactly(ROLLED_BACK);
        assertThat(project.store.events(b).getFirst().message()).isEqualTo(ServeFixture.PROJECT
                + ": rolled back to the model of run " + a + ": the model of run " + b + " failed within its"
                + " probation of 10m (its health check failed 3 times in a row (GET /health: no answer within 500ms"
                + " (the endpoint hangs)))");
        Await.until(() -> project.store.notifications(b).size() == 1, "the notification");
        assertThat(project.store.notifications(b)).extracting(n -> n.event() + " " + n.channel() + " " + n.status())
                .containsExactly("rolled_back console sent");
    }

    @Test
    void aPromotedModelThatRestartsPastItsLimitWithinItsProbationIsRolledBack() throws Exception {
        String first = deployments.status(ServeFixture.PROJECT).orElseThrow().container();
        crash();
        Await.until(() -> deployments.status(ServeFixture.PROJECT).map(s -> "serving".equals(s.state())
                && s.container() != null && !s.container().equals(first)).orElse(false), "the restart");
        crash();

        awaitRolledBackTo(a);

        assertThat(ServeFixture.get(port, "/predict")).isEqualTo("model-A");
        assertThat(project.store.events(b)).extracting(EventRow::type)
                .containsExactly(Notifiable.CONTAINER_RESTARTED.type(), ROLLED_BACK);
        assertThat(project.store.events(b).getLast().message()).isEqualTo(ServeFixture.PROJECT
                + ": rolled back to the model of run " + a + ": the model of run " + b + " failed within its"
                + " probation of 10m (exit 3; it stopped again after 1 restart in a row (max_restarts: 1))");
    }

    @Test
    void pastItsProbationAFailingModelIsRestartedNotRolledBack() throws Exception {
        clock.advance(Duration.ofMinutes(10));
        String first = deployments.status(ServeFixture.PROJECT).orElseThrow().container();
        crash();

        Await.until(() -> deployments.status(ServeFixture.PROJECT).map(s -> "serving".equals(s.state())
                && s.container() != null && !s.container().equals(first)).orElse(false), "the restart");

        assertThat(deployments.status(ServeFixture.PROJECT).orElseThrow().runId()).isEqualTo(b);
        assertThat(ServeFixture.get(port, "/predict")).isEqualTo("model-B");
        Await.until(() -> !project.store.events(b).isEmpty(), "the container_restarted event of run " + b);
        assertThat(project.store.events(b)).extracting(EventRow::type)
                .containsExactly(Notifiable.CONTAINER_RESTARTED.type());
    }

    private void crash() {
        try {
            ServeFixture.get(port, "/crash");
        } catch (IOException expected) {
            // the process exits before it answers
        }
    }

    /**
     * Waits until run {@code run}'s model serves again and {@code rolled_back} is recorded for the other one: the
     * previous model serves before the event is written, so the status alone can be seen first.
     */
    private void awaitRolledBackTo(long run) throws InterruptedException {
        Await.until(() -> deployments.status(ServeFixture.PROJECT).map(s -> s.runId() == run
                && "serving".equals(s.state())).orElse(false), "run " + run + "'s model to serve");
        Await.until(() -> project.store.events(b).stream().anyMatch(e -> e.type().equals(ROLLED_BACK)),
                "the rolled_back event of run " + b);
    }
}
