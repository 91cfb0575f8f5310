package dev.hone.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.ProcessResult.Ending;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** One workspace container on hone/sklearn serves every test here, as one serves every trial of a run. */
@ExtendWith(DockerAvailable.class)
class DockerSessionTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    static Path data;
    static Runs run;
    static Executor.Session session;
    static int trials;

    @BeforeAll
    static void open() {
        run = new Runs(data);
        session = new DockerExecutor(System.getenv()).open(run.workspace,
                run.configWithSecret("hone/sklearn", 1024L * 1024 * 1024, false));
    }

    @AfterAll
    static void close() {
        if (session != null) {
            session.close();
        }
    }

    private static ProcessResult trial(String command, Duration timeout) {
        return session.run(run.trial(++trials, command, timeout));
    }

    private static String containerId() {
        return ((DockerSession) session).containerId();
    }

    @Test
    void trainingRunsInsideTheContainerWithTheImagesLibrariesAsANonRootUser() {
        ProcessResult result = trial(". /etc/os-release; echo os=$ID; echo uid=$(id -u); echo host=$(cat /etc/hostname);"
                + " python3 -c 'import sklearn, xgboost; print(\"sklearn=\" + sklearn.__file__)'", MINUTE);

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.tail()).contains("os=debian", "uid=1000", "host=" + containerId().substring(0, 12),
                "sklearn=/usr/lib/python3/dist-packages/sklearn/__init__.py");
    }

    @Test
    void theTrialContractsPathsAreValidInsideAndTheOutputLandsInTheStore() throws Exception {
        int n = trials + 1;
        ProcessResult result = trial("pwd; echo $SESSION_VAR trial=$HONE_TRIAL; cat $HONE_PARAMS; echo;"
                + " echo model > $HONE_OUTPUT/model.txt", MINUTE);

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.tail()).containsExactly(run.workspace.toString(), "from-session trial=" + n,
                "{\"C\": 3.5}");
        assertThat(Files.readString(run.output(n).resolve("model.txt"))).isEqualTo("model\n");
        assertThat(Files.readString(run.dir.resolve("trials/" + n + "/train.log")))
                .startsWith(run.workspace + "\nfrom-session trial=" + n + "\n");
    }

    @Test
    void parallelTrialsRunAtOnceInTheSameContainer() throws Exception {
        // each trial waits, inside the container, until all three have started: run one after another, the first
        // would wait for the others until its timeout
        String barrier = "touch started-$HONE_TRIAL; until [ $(ls started-* | wc -l) -ge 3 ]; do sleep 0.05; done;"
                + " cat /etc/hostname";
        List<ProcessRequest> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(run.trial(++trials, barrier, Duration.ofSeconds(30)));
        }
        List<CompletableFuture<ProcessResult>> results = requests.stream()
                .map(r -> CompletableFuture.supplyAsync(() -> session.run(r))).toList();
        for (CompletableFuture<ProcessResult> result : results) {
            ProcessResult ended = result.get(1, TimeUnit.MINUTES);
            assertThat(ended.succeeded()).as(ended.toString()).isTrue();
            assertThat(ended.tail()).containsExactly(containerId().substring(0, 12));
        }
    }

    @Test
    void outputStreamsWhileTheTrialRuns() {
        List<Long> arrivals = new ArrayList<>();
        ProcessRequest base = run.trial(++trials, "echo first; sleep 1.5; echo second", MINUTE);
        ProcessRequest request = new ProcessRequest(base.command(), base.env(), base.logFile(), base.timeout(),
                line -> arrivals.add(System.nanoTime()));

        ProcessResult result = session.run(request);
        long ended = System.nanoTime();

        assertThat(result.tail()).containsExactly("first", "second");
        assertThat(Duration.ofNanos(ended - arrivals.getFirst())).isGreaterThan(Duration.ofMillis(1000));
    }

    @Test
    void networkNoneLeavesOnlyTheLoopbackInterface() {
        assertThat(trial("ls /sys/class/net", MINUTE).tail()).containsExactly("lo");
    }

    @Test
    void theContainerIsLabelledLimitedAndUnprivileged() throws Exception {
        try (DockerClient client = Docker.client(System.getenv(), Duration.ofSeconds(10))) {
            InspectContainerResponse c = client.inspectContainerCmd(containerId()).exec();

            assertThat(c.getConfig().getLabels()).containsEntry("hone.run", run.id)
                    .containsEntry("hone.project", "docker-test").containsEntry("hone.trial", "all")
                    .containsKey("hone.owner");
            assertThat(c.getConfig().getUser()).isEqualTo("1000:1000");
            assertThat(c.getHostConfig().getPrivileged()).isFalse();
            assertThat(c.getHostConfig().getPidsLimit()).isEqualTo(DockerExecutor.Options.DEFAULTS.pidsLimit());
            assertThat(c.getHostConfig().getMemory()).isEqualTo(1024L * 1024 * 1024);
            assertThat(c.getHostConfig().getNanoCPUs()).isEqualTo(1_000_000_000L);
            assertThat(c.getHostConfig().getNetworkMode()).isEqualTo("none");
            assertThat(c.getMounts()).hasSize(1);
            assertThat(c.getMounts().getFirst().getSource()).isEqualTo(run.dir.toString());
            assertThat(c.getMounts().getFirst().getDestination().getPath()).isEqualTo(run.dir.toString());
        }
        assertThat(trial("ls -l /var/run/docker.sock 2>&1 || true", MINUTE).tail().getFirst())
                .contains("No such file");
    }

    @Test
    void stdinIsEmptyAndTheSessionEnvironmentHasAWritableHome() {
        ProcessResult result = trial("cat; echo home=$HOME; touch $HOME/.cache-test && echo writable", MINUTE);

        assertThat(result.tail()).containsExactly("home=/home/hone", "writable");
    }
}
