package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.sun.net.httpserver.HttpServer;
import dev.hone.run.Notifiable;
import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.server.GitFixture;
import dev.hone.store.EventRow;
import dev.hone.store.NotificationRow;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.testing.Await;
import dev.hone.testing.Ports;
import dev.hone.testing.TestPostgres;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code hone serve} processes (JVMs of their own, each with its own data directory, as on two hosts) on
 * one PostgreSQL database: they share the queue, one of them polls, and when the one running a run is killed
 * outright the other takes the run over once its lease expired and finishes it — each trial once, each
 * notification once.
 */
class TwoControllersTest {

    private static final String TOKEN = "test-token-0123456789";
    private static final String LEASE = "3s";

    @TempDir
    Path tmp;

    private TestPostgres postgres;
    private HttpServer receiver;
    private final List<String> deliveries = new CopyOnWriteArrayList<>();
    private final List<Controller> controllers = new ArrayList<>();

    @BeforeEach
    void database() throws Exception {
        postgres = TestPostgres.create();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            deliveries.add(exchange.getRequestHeaders().getFirst("X-Hone-Delivery"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (Controller c : controllers) {
            c.process.destroy();
            c.process.waitFor(60, TimeUnit.SECONDS);
        }
        receiver.stop(0);
        postgres.close();
    }

    @Test
    void theOtherControllerFinishesTheRunOfOneKilledMidRunEachTrialAndNotificationOnce() throws Exception {
        Path attempts = tmp.resolve("attempts");
        GitFixture repo = new GitFixture(tmp, "ha");
        repo.write("main.py", """
                import os, time
                n = os.environ["HONE_TRIAL"]
                open(%s, "a").write("start %%s\\n" %% n)
                time.sleep(2)
                open(%s, "a").write("done %%s\\n" %% n)
                print("accuracy=%%s" %% os.environ["HONE_PARAM_X"])
                """.formatted(py(attempts), py(attempts))).write("hone.yaml", """
                environment: {executor: local}
                metric: {name: accuracy, target: 0.99}
                tune: {strategy: grid, params: {x: [0.1, 0.2, 0.3, 0.4]}, max_trials: 4}
                notify: {webhook: {url: "http://127.0.0.1:%d/hook"}}
                """.formatted(receiver.getAddress().getPort())).commit("Four slow trials");
        repo.push("main");
        Controller a = start("a", repo, "ha");
        Controller b = start("b", repo, "ha");
        assertThat(List.of(a.said(), b.said()))
                .as("one of them leads and polls").filteredOn(s -> s.contains("it leads, and polls")).hasSize(1);

        queue(a.port);
        Await.until(() -> read(attempts).contains("start 2"), "trial 2 to start");
        Controller holder = holderOf(1);
        Controller other = holder == a ? b : a;
        holder.process.toHandle().destroyForcibly(); // kill -9: nothing is released, the lease runs out
        assertThat(holder.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Store store = postgres.store();
        Await.until(() -> store.run(1).map(RunRow::status).filter(s -> !s.live()).isPresent(),
                "the run to end on the other controller");
        assertThat(store.run(1).orElseThrow().status()).isEqualTo(RunStatus.TARGET_MISSED);
        List<Trial> trials = store.trials(1).stream().map(t -> t.trial()).toList();
        assertThat(trials).extracting(Trial::number).as("each trial once, none lost").containsExactly(1, 2, 3, 4);
        assertThat(trials).extracting(Trial::state).containsOnly(TrialState.SUCCEEDED);
        assertThat(trials.stream().map(t -> t.params().get("x")).distinct()).hasSize(4);
        // the killed controller's trial 2 process was on this machine and outlived it: trial 2 started twice (the
        // second time on the other controller, under its own number), every other trial once
        assertThat(Files.readAllLines(attempts).stream().filter(l -> l.startsWith("start")))
                .containsExactlyInAnyOrder("start 1", "start 2", "start 2", "start 3", "start 4");
        assertThat(holderOf(1)).as("the run ended under the other controller's lease").isSameAs(other);
        EventRow resumed = store.events(1).stream().filter(e -> e.type().equals(RunEvent.Resumed.TYPE))
                .findFirst().orElseThrow();
        assertThat(resumed.message()).isEqualTo("the hone serve that ran it (" + holder.id()
                + ") stopped renewing its lease: another took it over; the run continues from its 2 recorded trials");
        assertThat(other.said()).contains("took over run [1] whose controller stopped renewing its lease");
        Await.until(() -> other.said().contains("it leads, and polls") || other.said().contains("leads now"),
                "the survivor to lead");

        Await.until(() -> !store.notifications(1).isEmpty(), "the notification");
        assertThat(store.notifications(1)).extracting(NotificationRow::event)
                .containsOnly(Notifiable.TARGET_MISSED.type());
        assertThat(store.notifications(1)).extracting(NotificationRow::channel).as("once on each channel")
                .doesNotHaveDuplicates().contains("webhook");
        Await.until(() -> !deliveries.isEmpty(), "the webhook to be called");
        assertThat(deliveries).as("the webhook called once").singleElement(STRING)
                .startsWith("hone-run1-target_missed-webhook");
    }

    @Test
    void twoControllersShareTheQueuedRunsEachRunClaimedByExactlyOne() throws Exception {
        Path attempts = tmp.resolve("attempts");
        GitFixture repo = new GitFixture(tmp, "ha-queue");
        repo.write("main.py", """
                import os, time
                open(%s, "a").write("run %%s\\n" %% os.environ["HONE_RUN"])
                time.sleep(1)
                print("accuracy=0.5")
                """.formatted(py(attempts))).write("hone.yaml", """
                environment: {executor: local}
                metric: {name: accuracy}
                tune: {max_trials: 1}
                """).commit("One trial a run");
        repo.push("main");
        Controller a = start("a", repo, "ha-queue");
        Controller b = start("b", repo, "ha-queue");
        int runs = 8;
        for (int i = 0; i < runs; i++) {
            queue(i % 2 == 0 ? a.port : b.port);
        }

        Store store = postgres.store();
        Await.until(() -> store.queue().countByStatus().getOrDefault(RunStatus.SUCCEEDED, 0L) == runs,
                "every run to succeed");
        List<String> ran = Files.readAllLines(attempts);
        assertThat(ran).as("each run's trial ran once").hasSize(runs).doesNotHaveDuplicates();
        List<Controller> holders = new ArrayList<>();
        for (long id = 1; id <= runs; id++) {
            holders.add(holderOf(id));
        }
        assertThat(holders).as("both controllers ran some").contains(a, b);
    }

    /** The controller whose lease run {@code id} is held under (or was, once ended). */
    private Controller holderOf(long id) throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.url());
             PreparedStatement s = c.prepareStatement("SELECT lease_owner FROM runs WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                String owner = rs.getString(1);
                return controllers.stream().filter(ctl -> owner != null && owner.equals(ctl.id())).findFirst()
                        .orElseThrow(() -> new AssertionError("run " + id + " is held by " + owner));
            }
        }
    }

    private void queue(int port) throws Exception {
        HttpResponse<String> queued = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/runs"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"project\": \"" + projectName() + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(queued.statusCode()).as(queued.body()).isBetween(200, 202);
    }

    private String projectName() {
        return controllers.getFirst().project;
    }

    /** A {@code hone serve} of its own JVM on the test's database, with data directory {@code name}. */
    private Controller start(String name, GitFixture repo, String project) throws Exception {
        int port = Ports.free();
        Path config = Files.writeString(tmp.resolve(name + ".yaml"), """
                listen: 127.0.0.1:%d
                api_token: %s
                store: "%s"
                controller: {lease: %s, renew: 1s}
                queue: {coalesce: false}
                repositories:
                  - url: %s
                    branches: [main]
                    poll: 0
                """.formatted(port, TOKEN, postgres.url(), LEASE, repo.url()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", classpath, "dev.hone.cli.Main", "serve", "--config",
                config.toString(), "--data", tmp.resolve("data-" + name).toString()).redirectErrorStream(true);
        builder.environment().put("HOME", tmp.toString());
        Controller c = new Controller(builder.start(), port, project);
        controllers.add(c);
        c.read();
        try {
            Await.until(() -> c.said().contains("read access:") || !c.process.isAlive(), "hone serve "
                    + name + " to start");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; it said:\n" + c.said(), e);
        }
        assertThat(c.process.isAlive()).as("hone serve %s started:%n%s", name, c.said()).isTrue();
        return c;
    }

    /** The text of {@code file}; empty while there is none. */
    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code path} as a Python string literal. */
    private static String py(Path path) {
        return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** One {@code hone serve} process and what it printed. */
    private static final class Controller {
        final Process process;
        final int port;
        final String project;
        private final StringBuffer said = new StringBuffer();

        Controller(Process process, int port, String project) {
            this.process = process;
            this.port = port;
            this.project = project;
        }

        void read() {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        said.append(line).append('\n');
                    }
                } catch (IOException e) {
                    // it ended
                }
            });
        }

        String said() {
            return said.toString();
        }

        /**
         * The controller id it printed at start ({@code hone: controller ID (lease …)}; the log may mask "hone",
         * the password of the test's PostgreSQL).
         */
        String id() {
            Matcher m = Pattern.compile(": controller (\\S+) \\(lease").matcher(said());
            assertThat(m.find()).as("it printed its controller id:%n%s", said()).isTrue();
            return m.group(1);
        }
    }
}
