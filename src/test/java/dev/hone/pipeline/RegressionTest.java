package dev.hone.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import dev.hone.App;
import dev.hone.data.DataDir;
import dev.hone.run.RunStatus;
import dev.hone.server.GitFixture;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.ServerSpecLoader;
import dev.hone.store.EventRow;
import dev.hone.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose best falls below its branch's previous best: a {@code regression} event with both values and both
 * commits, mailed (a real SMTP server), posted to the team's webhook and set as the commit's status (real HTTP servers
 * standing for the receiver and GitHub), on a real git repository.
 */
class RegressionTest {

    @TempDir
    Path tmp;
    GreenMail mail;
    HttpServer http;
    final List<String> requests = new CopyOnWriteArrayList<>();
    GitFixture git;

    @BeforeEach
    void start() throws Exception {
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        http.start();
        git = new GitFixture(tmp, "digits");
        // the remote GitHub's commit statuses are set on: the stand-in's host
        git.git(git.work, "remote", "set-url", "origin", "https://127.0.0.1/acme/digits.git");
    }

    @AfterEach
    void stop() {
        mail.stop();
        http.stop(0);
    }

    String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    @Test
    void aBestBelowTheBranchsPreviousBestIsARegressionOnEveryChannelWithBothValuesAndCommits() throws Exception {
        git.write("hone.yaml", """
                name: digits
                metric: {name: accuracy, target: 0.9, regression_tolerance: 0.01}
                notify:
                  email: {to: [ml-team@example.com]}
                  webhook: {url: "%s"}
                """.formatted(url("/team-hook")));
        git.write("main.py", "print('accuracy=0.95')\n");
        git.commit("a good model");
        RunOutcome first = run();
        git.write("main.py", "print('accuracy=0.945')\n");
        String previous = git.commit("within the tolerance");
        RunOutcome second = run();
        git.write("main.py", "print('accuracy=0.91')\n");
        String bad = git.commit("a worse model");
        RunOutcome third = run();

        assertThat(first.summary().events()).extracting(Summary.Event::type).containsExactly("target_reached");
        assertThat(second.summary().events()).extracting(Summary.Event::type).containsExactly("target_reached");
        String message = "digits: accuracy regressed from 0.945 (run 2, commit " + previous.substring(0, 12)
                + ") to 0.91 (commit " + bad.substring(0, 12)
                + ") on main, beyond the tolerance 0.01";
        assertThat(third.summary().status()).isEqualTo(RunStatus.TARGET_REACHED);
        assertThat(third.summary().events()).extracting(Summary.Event::type, Summary.Event::message)
                .containsExactly(tuple("target_reached",
                                "digits: accuracy 0.91 ≥ 0.9 after 1 trial"),
                        tuple("regression", message));
        assertThat(third.summary().notifications()).extracting(n -> n.event() + " " + n.channel() + " " + n.status())
                .contains("regression email sent", "regression webhook sent", "regression commit_status sent");

        assertThat(mail.waitForIncomingEmail(10_000, 2)).isTrue();
        MimeMessage regression = List.of(mail.getReceivedMessages()).stream()
                .filter(m -> subject(m).contains("regressed")).findFirst().orElseThrow();
        assertThat(subject(regression)).isEqualTo(message);
        assertThat(requests).filteredOn(r -> r.startsWith("POST /team-hook"))
                .anySatisfy(r -> assertThat(r).contains("\"event\":\"regression\"", "\"previous\":0.945",
                        "\"value\":0.91", "\"commit\":\"" + bad, "\"previous_commit\":\"" + previous));
        List<String> statuses = requests.stream().filter(r -> r.startsWith("POST /repos/acme/digits/statuses/" + bad))
                .toList();
        assertThat(statuses).hasSize(2);
        assertThat(statuses.getLast()).contains("\"state\":\"failure\"", "\"description\":\"" + message.substring(
                "digits: ".length()) + "\"");
        try (Store store = app().store(data())) {
            assertThat(store.events(third.runId())).extracting(EventRow::type).contains("regression");
            assertThat(store.events(first.runId())).extracting(EventRow::type).doesNotContain("regression");
        }
    }

    @Test
    void aBetterOrEqualBestAndAnotherBranchAreNoRegression() throws Exception {
        git.write("hone.yaml", "name: digits\nmetric: {name: loss, direction: minimize}\n");
        git.write("main.py", "print('loss=0.30')\n");
        git.commit("first");
        run();
        git.write("main.py", "print('loss=0.25')\n");
        git.commit("better");
        RunOutcome better = run();
        git.switchTo("experiment");
        git.write("main.py", "print('loss=0.40')\n");
        git.commit("worse, on a branch of its own");
        RunOutcome otherBranch = run();
        git.switchTo("main");
        git.write("main.py", "print('loss=0.26')\n");
        git.commit("worse on main");
        RunOutcome worse = run();

        assertThat(better.summary().events()).isEmpty();
        assertThat(otherBranch.summary().events()).as("the first run of its branch has nothing to compare").isEmpty();
        assertThat(worse.summary().events()).extracting(Summary.Event::message).singleElement().asString()
                .startsWith("digits: loss regressed from 0.25 (run 2, commit ").contains(") to 0.26 (commit ")
                .endsWith(") on main");
    }

    private RunOutcome run() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        App app = app();
        ServerSpec installation = ServerSpecLoader.parse("""
                notify:
                  email:
                    smtp: {host: 127.0.0.1, port: %d, security: none}
                    from: hone@example.com
                  github: {token: ghp_test_token, api_url: "%s"}
                """.formatted(mail.getSmtp().getPort(), url("")), "hone-server.yaml", app.env());
        try (Store store = app.store(data())) {
            return app.pipeline(store, data(), out, RunListener.NONE, installation, App.trialSlots(installation))
                    .run(new RunRequest(git.work, dev.hone.spec.Spec.Executor.LOCAL, null, null, null, null));
        }
    }

    private App app() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", tmp.toString());
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new App(env, quiet, quiet, InstantSource.system(), new Random(1));
    }

    private DataDir data() {
        return new DataDir(tmp.resolve("data"));
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }
}
