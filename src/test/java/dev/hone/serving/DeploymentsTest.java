package dev.hone.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.exec.docker.DockerContainers;
import dev.hone.restart.RestartPolicy;
import dev.hone.run.Notifiable;
import dev.hone.spec.Spec;
import dev.hone.store.EventRow;
import dev.hone.testing.Await;
import dev.hone.testing.Docker;
import dev.hone.testing.Parts;
import dev.hone.time.Sleeper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serving the best model in a supervised container, on a real dockerd. */
class DeploymentsTest {

    static final String RESTARTED = Notifiable.CONTAINER_RESTARTED.type();
    static final String GAVE_UP = Notifiable.CONTAINER_GAVE_UP.type();

    @TempDir
    Path tmp;
    ServeFixture project;
    DockerContainers containers;
    Deployments deployments;
    final List<Duration> waits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        Parts.requireDocker();
        project = new ServeFixture(tmp);
        containers = new DockerContainers(System.getenv());
        deployments = new Deployments(containers, InstantSource.system(), d -> {
            waits.add(d);
            Thread.sleep(d);
        }, ServeFixture.fast());
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
    void theBestModelIsServedOnItsPortFromAHardenedContainerWithTheModelReadOnly() throws Exception {
        long run = project.run("model-A");
        int port = ServeFixture.freePort();

        Deployments.Status status = deployments.deploy(project.request(run, port, Spec.RestartPolicy.ON_FAILURE, 3));

        assertThat(status.state()).as(status.toString()).isEqualTo("serving");
        assertThat(status.since()).isNotNull();
        assertThat(ServeFixture.get(port, "/predict")).isEqualTo("model-A");
        JsonNode c = Docker.inspect(status.container());
        assertThat(c.at("/Config/Labels/hone.deployment").asText()).isEqualTo(ServeFixture.PROJECT);
        assertThat(c.at("/Config/Labels/hone.run").asText()).isEqualTo(Long.toString(run));
        assertThat(c.at("/Config/Env").toString()).contains("HONE_MODEL=/model", "EXTRA=from-train-env");
        assertThat(c.at("/Config/User").asText()).isNotIn("", "0", "root", "0:0");
        assertThat(c.at("/HostConfig/Binds").toString()).contains(project.model(run) + ":/model:ro",
                project.workspace + ":/workspace:ro");
        assertThat(c.at("/HostConfig/PortBindings").toString()).contains("\"HostIp\":\"127.0.0.1\"");
        assertThat(c.at("/HostConfig/CapDrop").toString()).contains("ALL");
        assertThat(c.at("/HostConfig/Memory").asLong()).isEqualTo(256L << 20);
    }

    @Test
    void aServeProcessThatExitsIsRestartedPerPolicyAndGivenUpOnPastMaxRestartsWithEventsAndNotifications()
            throws Exception {
        long run = project.run("model-A");
        int port = ServeFixture.freePort();
        deployments.deploy(project.request(run, port, Spec.RestartPolicy.ON_FAILURE, 2));
        List<String> restarted = new CopyOnWriteArrayList<>();

        for (int restart = 1; restart <= 2; restart++) {
            String before = deployments.status(ServeFixture.PROJECT).orElseThrow().container();
            crash(port);
            awaitServing(before);
            restarted.add(deployments.status(ServeFixture.PROJECT).orElseThrow().container().substring(0, 12));
            assertThat(ServeFixture.get(port, "/predict")).isEqualTo("model-A");
            assertThat(deployments.status(ServeFixture.PROJECT).orElseThrow().restarts()).isEqualTo(restart);
        }
        crash(port);
        Await.until(() -> deployments.status(ServeFixture.PROJECT).orElseThrow().state().equals("gave_up"), "give-up");

        assertThat(waits).containsExactly(Duration.ZERO, Duration.ofMillis(200));
        List<EventRow> events = project.store.events(run);
        assertThat(events).extracting(EventRow::type)
                .containsExactly(RESTARTED, RESTARTED, GAVE_UP);
        assertThat(events.getFirst().message()).isEqualTo(ServeFixture.PROJECT + ": container " + restarted.getFirst()
                + " restarted (1 of 2): exit 3");
        assertThat(events.get(1).message()).isEqualTo(ServeFixture.PROJECT + ": container " + restarted.getLast()
                + " restarted (2 of 2): exit 3");
        assertThat(events.get(2).message()).startsWith(ServeFixture.PROJECT + ": gave up on container ")
                .endsWith(" after 2 restarts: exit 3; it stopped again after 2 restarts in a row (max_restarts: 2)");
        Await.until(() -> project.store.notifications(run).size() == 3, "three notifications");
        assertThat(project.store.notifications(run)).extracting(n -> n.event() + " " + n.channel() + " " + n.status())
                .containsExactly("container_restarted console sent", "container_restarted console sent",
                        "container_gave_up console sent");
        assertThat(project.console.toString(StandardCharsets.UTF_8))
                .contains("crashing on request, token ***, --key ***")
                .doesNotContain(ServeFixture.TOKEN).doesNotContain(ServeFixture.COMMAND_KEY);
        assertThatThrownBy(() -> ServeFixture.get(port, "/predict")).isInstanceOf(IOException.class);
        assertThat(project.store.eventCounts()).containsEntry(RESTARTED, 2L).containsEntry(GAVE_UP, 1L);
    }

    @Test
    void aContainerThatCrashesAtStartBacksOffThenIsGivenUpOnWithoutABusyLoop() throws Exception {
        long run = project.run("model-A");
        int port = ServeFixture.freePort();
        deployments.deploy(project.request(run, port, Spec.RestartPolicy.ALWAYS, 3));
        Files.writeString(project.model(run).resolve("crash-at-start"), "");

        long start = System.nanoTime();
        crash(port);
        Await.until(() -> deployments.status(ServeFixture.PROJECT).orElseThrow().state().equals("gave_up"), "give-up");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(waits).as("one back-off per restart, growing").containsExactly(Duration.ZERO,
                Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        Deployments.Status status = deployments.status(ServeFixture.PROJECT).orElseThrow();
        assertThat(status.restarts()).isEqualTo(3);
        assertThat(status.detail()).startsWith("it stopped before it became healthy (exit 1)");
        assertThat(project.store.events(run)).extracting(EventRow::type).containsExactly(GAVE_UP);
        assertThat(Docker.all(ServeFixture.LABEL)).isEmpty();
    }

    @Test
    void aHealthEndpointThatHangsNeverHangsHoneAndTheDeployIsReported() throws Exception {
        Deployments bounded = new Deployments(containers, InstantSource.system(), Sleeper.system(),
                new Deployments.Options(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(1), 3,
                        Duration.ofSeconds(5), RestartPolicy.BACKOFF, RestartPolicy.RESET_AFTER));
        long run = project.run("model-A");
        Files.writeString(project.model(run).resolve("hang"), "");

        long start = System.nanoTime();
        Deployments.Status status = bounded.deploy(project.request(run, ServeFixture.freePort(),
                Spec.RestartPolicy.ON_FAILURE, 3));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        bounded.close();

        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(status.state()).isEqualTo("failed");
        assertThat(status.runId()).as("the model it failed to serve").isEqualTo(run);
        assertThat(status.trial()).isEqualTo(1);
        assertThat(status.container()).isNull();
        assertThat(status.since()).isNull();
        assertThat(status.detail()).isEqualTo("the new model was not deployed: it did not become healthy within 3s"
                + " (GET /health: no answer within 500ms (the endpoint hangs))");
        assertThat(project.store.events(run)).extracting(EventRow::type).containsExactly(GAVE_UP);
        assertThat(Docker.all(ServeFixture.LABEL)).isEmpty();
    }

    @Test
    void aBetterModelReplacesTheServingOneWithoutASingleFailedRequest() throws Exception {
        long a = project.run("model-A");
        long b = project.run("model-B");
        int port = ServeFixture.freePort();
        String old = deployments.deploy(project.request(a, port, Spec.RestartPolicy.ON_FAILURE, 3)).container();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger();
        List<String> answers = new CopyOnWriteArrayList<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread client = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                try {
                    String body = ServeFixture.get(port, "/predict");
                    ok.incrementAndGet();
                    if (answers.isEmpty() || !answers.getLast().equals(body)) {
                        answers.add(body);
                    }
                } catch (IOException e) {
                    failures.add(e.toString());
                }
            }
        });
        Await.until(() -> ok.get() > 20, "requests to flow");

        Deployments.Status swapped = deployments.deploy(project.request(b, port, Spec.RestartPolicy.ON_FAILURE, 3));
        int atSwap = ok.get();
        Await.until(() -> ok.get() > atSwap + 50, "requests after the swap");
        Await.until(() -> !Docker.all(ServeFixture.LABEL).contains(old), "the old container to be removed");
        stop.set(true);
        client.join();

        assertThat(failures).isEmpty();
        assertThat(answers).containsExactly("model-A", "model-B");
        assertThat(swapped.runId()).isEqualTo(b);
        assertThat(Docker.running(ServeFixture.LABEL)).containsExactly(swapped.container());
    }

    private static void crash(int port) {
        try {
            ServeFixture.get(port, "/crash");
        } catch (IOException expected) {
            // the process exits before it answers
        }
    }

    private void awaitServing(String notContainer) throws InterruptedException {
        Await.until(() -> deployments.status(ServeFixture.PROJECT).map(s -> s.state().equals("serving")
                && !s.container().equals(notContainer)).orElse(false), "the model to serve again");
    }
}
