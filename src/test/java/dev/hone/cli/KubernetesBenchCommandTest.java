package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.exec.kubernetes.MockCluster;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hone bench kubernetes}, the real command, on the cluster a kubeconfig names: here fabric8's mock API server
 * with the tests' stand-in kubelet running the pods (no real cluster runs on these machines). It prints the report:
 * the figures of docs/benchmarks.md come from {@code -Dhone.bench.trials=50 -Dhone.bench.jobsPerSecond=10}
 * {@code -Dhone.bench.repeat=3} (defaults 6, 5 and 2, for a short test).
 */
class KubernetesBenchCommandTest {

    private static final int TRIALS = Integer.getInteger("hone.bench.trials", 6);
    private static final int REPEATS = Integer.getInteger("hone.bench.repeat", 2);
    private static final String JOBS_PER_SECOND = System.getProperty("hone.bench.jobsPerSecond", "5");

    private static final Pattern REPEAT = Pattern.compile(
            " {2}(\\d) +(\\d+\\.\\d)/s +(\\d+) ms +(\\d+) ms +(-?\\d+) ms");

    @TempDir
    Path home;

    @Test
    void measuresJobsPerSecondAtTheRateLimitAndTheOverheadOverTheContainersRunTime() throws Exception {
        try (MockCluster cluster = new MockCluster(home.resolve("kubelet"), Map.of())) {
            Cli cli = new Cli(home);
            cli.env.put("KUBECONFIG", cluster.kubeconfig(home.resolve("kubeconfig")).toString());
            cli.env.put("HONE_KUBERNETES_JOBS_PER_SECOND", JOBS_PER_SECOND);

            int code = cli.run("bench", "kubernetes", "--image", "hone/python", "--trials", Integer.toString(TRIALS),
                    "--parallel", Integer.toString(TRIALS), "--repeat", Integer.toString(REPEATS));

            assertThat(code).as(cli.err()).isZero();
            String out = cli.out();
            System.out.print(out);
            assertThat(out).startsWith("Kubernetes: namespace " + cluster.namespace() + " at http://localhost:")
                    .contains(", image hone/python, command `echo accuracy=0.5`\n"
                            + "  each repeat: " + TRIALS + " trials with " + TRIALS + " at once (Jobs created per"
                            + " second), then " + TRIALS + " one at a time (per trial, medians)\n"
                            + "  repeat       Jobs/s   trial wall    container     overhead\n")
                    .containsPattern("\n {2}median +\\d+\\.\\d/s +\\d+ ms +\\d+ ms +-?\\d+ ms\n"
                            + " {2}spread over " + REPEATS + " repeats: Jobs/s \\d+\\.\\d–\\d+\\.\\d, overhead -?\\d+–-?\\d+ ms\n$");
            Matcher m = REPEAT.matcher(out);
            List<double[]> repeats = new ArrayList<>();
            while (m.find()) {
                repeats.add(new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                        Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))});
            }
            assertThat(repeats).as(out).hasSize(REPEATS);
            for (double[] r : repeats) {
                double limit = Double.parseDouble(JOBS_PER_SECOND);
                assertThat(r[0]).as("Jobs/s, at most " + limit + " by HONE_KUBERNETES_JOBS_PER_SECOND: " + out)
                        .isBetween(Math.min(limit, 20) / 4, limit * 1.2);
                assertThat(r[2]).as("the container's own time (a Python process at least): " + out).isPositive();
                assertThat(r[1]).as("a trial's wall time is the container's and more: " + out).isGreaterThan(r[2]);
                assertThat(r[3]).as("overhead, the median of wall - container: " + out).isPositive()
                        .isLessThan(r[1]);
            }
            assertThat(cluster.jobsRun()).as("every trial a Job: each repeat N at once and N one at a time")
                    .isEqualTo(2 * TRIALS * REPEATS);
        }
    }

    @Test
    void withoutAClusterItSaysHowToNameOne() {
        Cli cli = new Cli(home);
        cli.env.remove("KUBECONFIG");
        cli.env.remove("KUBERNETES_SERVICE_HOST");

        int code = cli.run("bench", "kubernetes");

        assertThat(code).isNotZero();
        assertThat(cli.err()).isEqualTo("hone: no Kubernetes cluster: set KUBECONFIG or run inside a cluster\n");
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void aClusterThatDoesNotAnswerIsNamedWithWhatToCheck() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        Path kubeconfig = Files.writeString(home.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: gone, cluster: {server: "http://127.0.0.1:%d"}}]
                contexts: [{name: gone, context: {cluster: gone, user: u, namespace: ml}}]
                current-context: gone
                users: [{name: u, user: {token: t}}]
                """.formatted(port));
        Cli cli = new Cli(home);
        cli.env.put("KUBECONFIG", kubeconfig.toString());

        int code = cli.run("bench", "kubernetes"); // fabric8's client retries for about 20 s first

        assertThat(code).isNotZero();
        assertThat(cli.err()).startsWith("hone: no Kubernetes cluster answers at http://127.0.0.1:" + port
                + "/ (namespace ml): ").endsWith(" — check KUBECONFIG (or ~/.kube/config) and that the cluster is up,"
                + " or run inside a cluster\n");
    }

    @Test
    void aKubeconfigThatIsNotThereIsNamed() {
        Cli cli = new Cli(home);
        cli.env.put("KUBECONFIG", home.resolve("nowhere").toString());

        int code = cli.run("bench", "kubernetes");

        assertThat(code).isNotZero();
        assertThat(cli.err()).isEqualTo("hone: KUBECONFIG names " + home.resolve("nowhere")
                + ", which is not a file: point it at your kubeconfig\n");
    }
}
