package dev.hone.exec.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.ProcessResult.Ending;
import dev.hone.exec.SessionConfig;
import dev.hone.exec.SessionEvents;
import dev.hone.exec.TrialContract;
import dev.hone.spec.Spec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes executor on fabric8's mock API server with the stand-in kubelet: the pod fetches the workspace and
 * sends its output back over HTTP (each pod starts with an empty run directory of its own), the secrets stay in the
 * Job's Secret, and what the API says of a Job and its pod becomes how the command ended.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KubernetesExecutorTest {

    private static final String SECRET = "tok-5e7c2a91";
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static MockCluster cluster;

    @TempDir
    Path data;
    private Path runDir;
    private Path workspace;
    private final String runId = "k8s-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<SessionEvents.Rescheduled> rescheduled = new CopyOnWriteArrayList<>();
    private Executor.Session session;

    @BeforeAll
    static void startTheCluster(@TempDir Path scratch) throws IOException {
        cluster = new MockCluster(scratch, Map.of());
    }

    @AfterAll
    static void stopTheCluster() {
        cluster.close();
    }

    @BeforeEach
    void openSession() throws IOException {
        runDir = Files.createDirectories(data.resolve("runs").resolve(runId));
        workspace = Files.createDirectories(runDir.resolve("workspace"));
        session = cluster.executor().configured(Spec.Kubernetes.DEFAULT, 0).open(workspace, new SessionConfig(runId,
                "digits", "hone/python", 0.5, 512L << 20, false,
                Map.of("SESSION_TOKEN", SECRET, "PLAIN", "visible"), Set.of(SECRET)));
        session.watch(new SessionEvents() {
            @Override
            public void rescheduled(Rescheduled r) {
                rescheduled.add(r);
            }
        });
    }

    @AfterEach
    void closeSession() {
        session.close();
    }

    @Nested
    class CodeInResultsOut {

        @Test
        void thePodFetchesTheWorkspaceAndSendsItsOutputAndEditsBack() throws IOException {
            Files.writeString(workspace.resolve("data.txt"), "from the host\n");
            Files.writeString(runDir.resolve("notes.txt"), "not the pod's\n");

            ProcessResult result = session.run(trial(1, "cat data.txt; test -e ../notes.txt || echo isolated;"
                    + " echo edited > data.txt; echo new > new.txt; echo model > $HONE_OUTPUT/model.txt;"
                    + " cat $HONE_PARAMS; echo", Map.of("lr", 0.1)));

            assertThat(result.succeeded()).as(result.toString()).isTrue();
            assertThat(lines).containsExactly("from the host", "isolated", "{\"lr\":0.1}");
            assertThat(Files.readString(workspace.resolve("data.txt"))).isEqualTo("edited\n");
            assertThat(Files.readString(workspace.resolve("new.txt"))).isEqualTo("new\n");
            assertThat(Files.readString(output(1).resolve("model.txt"))).isEqualTo("model\n");
        }

        @Test
        void aTransferTokenIsRefusedOnceItsCommandHasEnded() throws Exception {
            ProcessResult result = session.run(trial(1, "true", Map.of()));
            assertThat(result.succeeded()).as(result.toString()).isTrue();

            Job job = cluster.kubelet.jobs().getLast();
            String url = env(job, "HONE_TRANSFER_URL");
            String token = secretValue(job.getMetadata().getName(), "HONE_TRANSFER_TOKEN");
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url
                    + "/in")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.body()).isEqualTo("no valid transfer token: it is given to one pod, and only while it"
                    + " runs");
        }
    }

    @Nested
    class TheManifests {

        @Test
        void theSecretsAndTheTokenAreInTheJobsSecretNeverInThePodSpec() {
            ProcessResult result = session.run(trial(1, "echo $SESSION_TOKEN $PLAIN", Map.of()));

            assertThat(result.tail()).containsExactly("*** visible");
            Job job = cluster.kubelet.jobs().getLast();
            String spec = Serialization.asYaml(job);
            assertThat(spec).doesNotContain(SECRET).contains("visible");
            String name = job.getMetadata().getName();
            assertThat(job.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnvFrom())
                    .singleElement().satisfies(from -> assertThat(from.getSecretRef().getName()).isEqualTo(name));
            assertThat(secretValue(name, "SESSION_TOKEN")).isEqualTo(SECRET);
            assertThat(secretValue(name, "HONE_TRANSFER_TOKEN")).hasSize(48);
            assertThat(env(job, "HONE_TRANSFER_TOKEN")).isNull();
        }

        @Test
        void theDryRunShowsTheSecretAndTheJobWithTheGpusAndNoSecretValue() {
            String yaml = cluster.executor().configured(new Spec.Kubernetes("ml-training", "hone-trials",
                    Map.of("pool", "gpu"), List.of(new Spec.Toleration("nvidia.com/gpu", "Exists", null,
                    "NoSchedule")), List.of("registry-credentials"), Map.of("team", "vision"), null), 2)
                    .dryRun(workspace, new SessionConfig(runId, "digits", "hone/python", 1.0, 1L << 30, false,
                            Map.of("SESSION_TOKEN", SECRET), Set.of(SECRET)), trial(1, "python3 main.py", Map.of()))
                    .orElseThrow();

            List<Object> manifests = Arrays.stream(yaml.split("(?m)^---$")).filter(d -> !d.isBlank())
                    .map(d -> (Object) Serialization.unmarshal(d)).toList();
            assertThat(yaml).doesNotContain(SECRET).doesNotContain(Base64.getEncoder().encodeToString(
                    SECRET.getBytes(StandardCharsets.UTF_8)));
            assertThat(manifests).hasExactlyElementsOfTypes(Secret.class, Job.class);
            Job job = (Job) manifests.get(1);
            assertThat(job.getMetadata().getNamespace()).isEqualTo("ml-training");
            var pod = job.getSpec().getTemplate().getSpec();
            assertThat(pod.getServiceAccountName()).isEqualTo("hone-trials");
            assertThat(pod.getNodeSelector()).containsExactly(Map.entry("pool", "gpu"));
            assertThat(pod.getImagePullSecrets()).singleElement()
                    .satisfies(r -> assertThat(r.getName()).isEqualTo("registry-credentials"));
            assertThat(pod.getContainers().getFirst().getResources().getLimits().get("nvidia.com/gpu"))
                    .hasToString("2");
            assertThat(job.getMetadata().getLabels()).containsEntry("team", "vision");
            Secret secret = (Secret) manifests.get(0);
            assertThat(secret.getData()).containsOnlyKeys("SESSION_TOKEN", "HONE_TRANSFER_TOKEN");
        }

        @Test
        void aJobAsHoneCreatesItRoundTripsThroughTheKubernetesModel() {
            session.run(trial(3, "true", Map.of()));
            Job job = cluster.kubelet.jobs().getLast();

            Job read = Serialization.unmarshal(Serialization.asYaml(job), Job.class);

            assertThat(read).isEqualTo(job);
            assertThat(read.getApiVersion()).isEqualTo("batch/v1");
            assertThat(read.getMetadata().getLabels()).containsEntry("hone.run", runId)
                    .containsEntry("hone.project", "digits").containsEntry("hone.trial", "3");
            assertThat(read.getSpec().getBackoffLimit()).isZero();
            assertThat(read.getSpec().getActiveDeadlineSeconds()).isEqualTo(60L);
            assertThat(read.getSpec().getTtlSecondsAfterFinished()).isEqualTo(JobManifests.TTL_AFTER_FINISHED);
            var pod = read.getSpec().getTemplate().getSpec();
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            var container = pod.getContainers().getFirst();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(container.getResources().getLimits()).isEqualTo(container.getResources().getRequests());
            assertThat(container.getResources().getLimits().get("cpu").toString()).isEqualTo("500m");
            assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("536870912");
        }
    }

    @Nested
    class StatesFromTheApi {

        @Test
        void aContainerTheKernelKilledForMemoryIsOomKilled() {
            ProcessResult result = session.run(trial(1, "echo allocating; kill -9 $$", Map.of()));

            assertThat(result.ending()).isEqualTo(Ending.OOM_KILLED);
            assertThat(result.detail()).isEqualTo("killed: out of memory (limit 512 MiB)");
            assertThat(result.tail()).containsExactly("allocating");
        }

        @Test
        void aJobPastItsDeadlineTimedOut() {
            ProcessResult result = session.run(new ProcessRequest("echo started; sleep 300", Map.of(), log(1),
                    Duration.ofSeconds(1), lines::add));

            assertThat(result.ending()).isEqualTo(Ending.TIMED_OUT);
            assertThat(result.detail()).isEqualTo("timed out after 1s");
            assertThat(lines).containsExactly("started");
        }

        @Test
        void anImageTheClusterCannotPullFailsAtOnceSayingWhich() {
            cluster.kubelet.cannotPull("hone/python");
            try {
                long start = System.nanoTime();
                ProcessResult result = session.run(trial(1, "true", Map.of()));

                assertThat(result.ending()).isEqualTo(Ending.FAILED_TO_START);
                assertThat(result.detail()).isEqualTo("the cluster cannot pull the image hone/python:"
                        + " ImagePullBackOff (Back-off pulling image \"hone/python\") — push it to a registry the"
                        + " cluster reaches, or name one in environment.image (and"
                        + " environment.kubernetes.image_pull_secrets for a private registry)");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
                int jobs = cluster.kubelet.jobs().size();
                ProcessResult next = session.run(trial(2, "true", Map.of()));
                assertThat(next.ending()).isEqualTo(Ending.FAILED_TO_START);
                assertThat(next.detail()).isEqualTo(result.detail());
                assertThat(cluster.kubelet.jobs()).as("no Job for a trial whose image cannot be pulled").hasSize(jobs);
            } finally {
                cluster.kubelet.cannotPull(null);
            }
        }

        @Test
        void anEvictedPodRunsTheTrialAgainUnderItsNumber() throws Exception {
            Path marker = data.resolve("first-attempt-done");
            CountDownLatch started = new CountDownLatch(1);
            ProcessRequest request = new ProcessRequest("if [ -e " + marker + " ]; then echo second; exit 0; fi;"
                    + " touch " + marker + "; echo first; sleep 300", TrialContract.environment(4, runId,
                    params(4, Map.of()), output(4), Map.of()), log(4), MINUTE, line -> {
                        lines.add(line);
                        started.countDown();
                    });
            CompletableFuture<ProcessResult> running = CompletableFuture.supplyAsync(() -> session.run(request));
            assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();

            String pod = cluster.kubelet.pods().getLast();
            cluster.kubelet.evict(pod);
            ProcessResult result = running.get(1, TimeUnit.MINUTES);

            assertThat(result.succeeded()).as(result.toString()).isTrue();
            String why = "Evicted: The node was low on resource: memory.";
            assertThat(lines).containsExactly("first", "--- hone: pod " + pod + " was taken off its node (" + why
                    + "); the command runs again ---", "second");
            assertThat(rescheduled).containsExactly(new SessionEvents.Rescheduled(request, pod, why, 1));
        }

        @Test
        void stoppingATrialEarlyDeletesItsJobAndReturnsOnceItsPodIsGone() throws Exception {
            CountDownLatch started = new CountDownLatch(1);
            ProcessRequest request = new ProcessRequest("echo started; sleep 300", TrialContract.environment(2,
                    runId, params(2, Map.of()), output(2), Map.of()), log(2), MINUTE, line -> started.countDown());
            CompletableFuture<ProcessResult> running = CompletableFuture.supplyAsync(() -> session.run(request));
            assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
            String pod = cluster.kubelet.pods().getLast();

            session.cancel(request);
            ProcessResult result = running.get(1, TimeUnit.MINUTES);

            assertThat(result.ending()).isEqualTo(Ending.KILLED);
            assertThat(result.detail()).isEqualTo("killed: stopped early");
            assertThat(cluster.kubelet.running()).doesNotContain(pod);
            assertThat(cluster.admin.batch().v1().jobs().inNamespace(cluster.namespace())
                    .withLabel("hone.run", runId).list().getItems()).isEmpty();
            assertThat(cluster.admin.pods().inNamespace(cluster.namespace()).withName(pod).get()).isNull();
        }

        @Test
        void aTrialWhosePodsAreTakenOffTheirNodesAgainAndAgainIsKilledSayingSo() {
            int pods = cluster.kubelet.pods().size();
            cluster.kubelet.evictNextPods(KubernetesSession.MAX_RESCHEDULES + 1);

            ProcessResult result;
            try {
                result = session.run(trial(7, "echo never", Map.of()));
            } finally {
                cluster.kubelet.evictNextPods(0); // an eviction left over must not reach the next test's pod
            }

            List<String> evicted = cluster.kubelet.pods().subList(pods, cluster.kubelet.pods().size());
            assertThat(evicted).hasSize(KubernetesSession.MAX_RESCHEDULES + 1);
            assertThat(result.ending()).isEqualTo(Ending.KILLED);
            assertThat(result.detail()).isEqualTo("killed: pod " + evicted.getLast() + " was taken off its node 4"
                    + " times (Evicted)");
            assertThat(rescheduled).extracting(SessionEvents.Rescheduled::times).containsExactly(1, 2, 3);
            assertThat(lines).doesNotContain("never");
        }

        @Test
        void nothingOfAnEndedCommandIsLeftInTheNamespace() {
            session.run(trial(1, "exit 2", Map.of()));
            session.run(trial(2, "true", Map.of()));

            String selector = "hone.run";
            assertThat(cluster.admin.batch().v1().jobs().inNamespace(cluster.namespace()).withLabel(selector, runId)
                    .list().getItems()).isEmpty();
            assertThat(cluster.admin.pods().inNamespace(cluster.namespace()).withLabel(selector, runId).list()
                    .getItems()).isEmpty();
            assertThat(cluster.admin.secrets().inNamespace(cluster.namespace()).withLabel(selector, runId).list()
                    .getItems()).isEmpty();
        }
    }

    @Nested
    class ManyTrialsAtOnce {

        @Test
        void createTheirJobsAtTheBoundedRate() throws Exception {
            KubernetesExecutor limited = cluster.executor(10).configured(Spec.Kubernetes.DEFAULT, 0);
            int before = cluster.jobPosts().size();
            try (Executor.Session many = limited.open(workspace, config())) {
                List<CompletableFuture<ProcessResult>> results = new java.util.ArrayList<>();
                for (int n = 1; n <= 6; n++) {
                    ProcessRequest r = request(n, "true", line -> {});
                    results.add(CompletableFuture.supplyAsync(() -> many.run(r)));
                }
                for (CompletableFuture<ProcessResult> result : results) {
                    assertThat(result.get(1, TimeUnit.MINUTES).succeeded()).isTrue();
                }
            }
            List<java.time.Instant> posted = cluster.jobPosts().subList(before, before + 6);

            // 5 turns of 100 ms (without the bound, a few ms); a request may leave the client a little after its
            // turn (a new connection, a busy machine)
            assertThat(Duration.between(posted.getFirst(), posted.getLast())).as("from the first Job to the sixth")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Nested
    class AfterHoneStopped {

        @Test
        void aResumedRunAdoptsTheJobItsTrialStillRunsAs() throws Exception {
            KubernetesExecutor executor = cluster.executor().configured(Spec.Kubernetes.DEFAULT, 0);
            Path go = data.resolve("go");
            String command = "echo started; while [ ! -e " + go + " ]; do sleep 0.05; done;"
                    + " echo model > $HONE_OUTPUT/model.txt; echo accuracy=0.9";
            Executor.Session first = executor.open(workspace, config());
            CountDownLatch started = new CountDownLatch(1);
            Thread dying = Thread.ofVirtual().start(() -> first.run(request(5, command, line -> started.countDown())));
            assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
            dying.interrupt(); // the Hone that ran it stops without ending the trial
            dying.join();
            first.close();
            int created = cluster.kubelet.jobs().size();

            try (Executor.Session resumed = executor.open(workspace, config())) {
                CompletableFuture<ProcessResult> again = CompletableFuture.supplyAsync(() -> resumed.run(
                        request(5, command, lines::add)));
                Files.createFile(go);
                ProcessResult result = again.get(1, TimeUnit.MINUTES);

                assertThat(result.succeeded()).as(result.toString()).isTrue();
            }
            assertThat(cluster.kubelet.jobs()).as("Jobs created").hasSize(created);
            assertThat(lines).containsExactly("started", "accuracy=0.9");
            assertThat(Files.readString(output(5).resolve("model.txt"))).isEqualTo("model\n");
        }

        @Test
        void aJobWhosePodCannotReachThisHoneIsDeletedAndItsTrialRunsAgain() throws Exception {
            Path go = data.resolve("go");
            String command = "echo started; while [ ! -e " + go + " ]; do sleep 0.05; done; echo accuracy=0.9";
            Executor.Session first = cluster.executor().configured(Spec.Kubernetes.DEFAULT, 0).open(workspace,
                    config());
            CountDownLatch started = new CountDownLatch(1);
            Thread dying = Thread.ofVirtual().start(() -> first.run(request(6, command, line -> started.countDown())));
            assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
            dying.interrupt();
            dying.join();
            first.close();
            String left = cluster.kubelet.jobs().getLast().getMetadata().getName();
            Files.createFile(go);

            try (Executor.Session resumed = cluster.executor().configured(Spec.Kubernetes.DEFAULT, 0)
                    .open(workspace, config())) {
                ProcessResult result = resumed.run(request(6, command, lines::add));

                assertThat(result.succeeded()).as(result.toString()).isTrue();
            }
            assertThat(cluster.kubelet.jobs().getLast().getMetadata().getName()).isNotEqualTo(left);
            assertThat(cluster.admin.batch().v1().jobs().inNamespace(cluster.namespace()).withName(left).get())
                    .isNull();
            assertThat(lines).containsExactly("started", "accuracy=0.9");
        }
    }

    private SessionConfig config() {
        return new SessionConfig(runId, "digits", "hone/python", 0.5, 512L << 20, false, Map.of("PLAIN", "visible"));
    }

    private ProcessRequest request(int n, String command, java.util.function.Consumer<String> onLine) {
        return new ProcessRequest(command, TrialContract.environment(n, runId, params(n, Map.of()), output(n),
                Map.of()), log(n), MINUTE, onLine);
    }

    private ProcessRequest trial(int n, String command, Map<String, Object> params) {
        return new ProcessRequest(TrialContract.expand(command, params), TrialContract.environment(n, runId,
                params(n, params), output(n), params), log(n), MINUTE, lines::add);
    }

    private Path params(int n, Map<String, Object> params) {
        try {
            Path file = Files.createDirectories(output(n)).resolveSibling("params.json");
            Files.writeString(file, TrialContract.paramsJson(params));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path output(int n) {
        return runDir.resolve("trials").resolve(Integer.toString(n)).resolve("output");
    }

    private Path log(int n) {
        return runDir.resolve("trials").resolve(Integer.toString(n)).resolve("train.log");
    }

    private static String env(Job job, String name) {
        return job.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
    }

    private static String secretValue(String name, String key) {
        Secret secret = cluster.kubelet.secrets().stream().filter(s -> s.getMetadata().getName().equals(name))
                .findFirst().orElseThrow();
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
