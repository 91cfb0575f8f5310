package dev.hone.exec.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.SessionConfig;
import dev.hone.exec.TrialContract;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.ServerSpecLoader;
import dev.hone.spec.Spec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes/*.yaml, the manifests of {@code hone serve} in a cluster: each is read by fabric8's model with no
 * field it does not know and written back unchanged, they refer to one another by the right names, the ConfigMap's
 * hone-server.yaml loads, and the Role grants exactly what the Kubernetes executor asks of the API server.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("deploy/kubernetes");
    private static final KubernetesSerialization MODEL = new KubernetesSerialization();
    /** /api/v1/namespaces/NS/RESOURCE[/NAME[/SUBRESOURCE]], /apis/GROUP/VERSION/namespaces/NS/…, then the query. */
    private static final Pattern API_PATH = Pattern.compile(
            "/(?:api/v1|apis/([^/]+)/[^/]+)/namespaces/[^/]+/([^/]+)(?:/([^/]+)(?:/([^/]+))?)?");

    @Test
    void everyManifestIsReadByTheModelAndWrittenBackUnchanged() throws IOException {
        List<Path> files = files();
        assertThat(files).extracting(f -> f.getFileName().toString()).containsExactly("configmap.yaml",
                "deployment.yaml", "pvc.yaml", "role.yaml", "rolebinding.yaml", "service.yaml", "serviceaccount.yaml");
        for (Path file : files) {
            String text = Files.readString(file);
            HasMetadata read = MODEL.unmarshal(text);
            List<String> unknown = new ArrayList<>();
            unknownFields(read, read.getKind(), unknown);
            assertThat(unknown).as("fields of %s the Kubernetes model does not know", file).isEmpty();

            String written = MODEL.asYaml(read);

            assertThat(MODEL.<HasMetadata>unmarshal(written)).as(file.toString()).isEqualTo(read);
            assertThat(MODEL.unmarshal(written, Map.class)).as(file.toString())
                    .isEqualTo(MODEL.unmarshal(text, Map.class));
        }
    }

    @Test
    void theDeploymentRunsAsTheBoundAccountWithTheClaimTheConfigAndTheServicesPorts() throws IOException {
        Deployment deployment = load("deployment.yaml", Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container hone = pod.getContainers().getFirst();
        ServiceAccount account = load("serviceaccount.yaml", ServiceAccount.class);
        RoleBinding binding = load("rolebinding.yaml", RoleBinding.class);
        Service service = load("service.yaml", Service.class);
        ConfigMap config = load("configmap.yaml", ConfigMap.class);

        assertThat(pod.getServiceAccountName()).isEqualTo(account.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(account.getMetadata().getName());
        });
        assertThat(binding.getRoleRef().getName()).isEqualTo(load("role.yaml", Role.class).getMetadata().getName());
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector())
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getTargetPort().getStrVal())
                .containsExactlyElementsOf(hone.getPorts().stream().map(ContainerPort::getName).toList());
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(hone.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();

        Map<String, String> mounts = hone.getVolumeMounts().stream().collect(
                java.util.stream.Collectors.toMap(VolumeMount::getName, VolumeMount::getMountPath));
        Map<String, Volume> volumes = pod.getVolumes().stream().collect(
                java.util.stream.Collectors.toMap(Volume::getName, v -> v));
        assertThat(volumes.get("data").getPersistentVolumeClaim().getClaimName())
                .isEqualTo(load("pvc.yaml", PersistentVolumeClaim.class).getMetadata().getName());
        assertThat(volumes.get("config").getConfigMap().getName()).isEqualTo(config.getMetadata().getName());
        assertThat(hone.getArgs()).containsExactly("serve", "--config", mounts.get("config") + "/hone-server.yaml");

        ServerSpec server = ServerSpecLoader.parse(config.getData().get("hone-server.yaml"), "hone-server.yaml",
                Map.of("HONE_API_TOKEN", "ab12cd34ef56"));
        assertThat(server.dataDir()).isEqualTo(Path.of(mounts.get("data")));
        assertThat(server.executor()).isEqualTo(Spec.Executor.KUBERNETES);
        int http = hone.getPorts().stream().filter(p -> p.getName().equals("http")).findFirst().orElseThrow()
                .getContainerPort();
        assertThat(server.listen()).isEqualTo(new ServerSpec.Listen("0.0.0.0", http));
        String transfers = service.getSpec().getPorts().stream().filter(p -> p.getName().equals("transfers"))
                .map(ServicePort::getPort).findFirst().orElseThrow().toString();
        assertThat(hone.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("HONE_KUBERNETES_URL");
            assertThat(e.getValue()).isEqualTo("http://" + service.getMetadata().getName() + ":" + transfers);
        });
    }

    @Test
    void theRoleGrantsExactlyWhatTheExecutorAsksOfTheApiServer(@TempDir Path scratch, @TempDir Path data)
            throws IOException {
        Set<String> granted = new TreeSet<>();
        load("role.yaml", Role.class).getRules().forEach(rule -> rule.getApiGroups().forEach(group ->
                rule.getResources().forEach(resource -> rule.getVerbs().forEach(verb ->
                        granted.add(group + " " + resource + " " + verb)))));

        Set<String> used = new TreeSet<>();
        try (MockCluster cluster = new MockCluster(scratch, Map.of())) {
            KubernetesExecutor executor = cluster.executor();
            executor.reach();
            Path workspace = Files.createDirectories(data.resolve("runs/r1/workspace"));
            Path trial = data.resolve("runs/r1/trials/1");
            Files.createDirectories(trial.resolve("output"));
            Path params = Files.writeString(trial.resolve("params.json"), TrialContract.paramsJson(Map.of()));
            try (Executor.Session session = executor.configured(Spec.Kubernetes.DEFAULT, 0).open(workspace,
                    new SessionConfig("r1", "digits", "hone/python", 0.5, 512L << 20, false, Map.of("TOKEN",
                            "tok-5e7c2a91"), Set.of("tok-5e7c2a91")))) {
                ProcessResult result = session.run(new ProcessRequest("echo accuracy=0.5",
                        TrialContract.environment(1, "r1", params, trial.resolve("output"), Map.of()),
                        trial.resolve("train.log"), Duration.ofMinutes(1), line -> {}));
                assertThat(result.succeeded()).as(result.toString()).isTrue();
            }
            cluster.requests().forEach(r -> used.add(permission(r)));
        }

        assertThat(granted).isEqualTo(used);
    }

    /** "GROUP RESOURCE VERB" in RBAC's words (the core group is ""), for a request to a namespaced resource. */
    private static String permission(MockCluster.Request request) {
        Matcher m = API_PATH.matcher(request.uri().getPath());
        assertThat(m.matches()).as("a namespaced API path: %s", request.uri()).isTrue();
        String group = m.group(1) == null ? "" : m.group(1);
        String resource = m.group(4) == null ? m.group(2) : m.group(2) + "/" + m.group(4);
        boolean named = m.group(3) != null;
        String query = request.uri().getQuery() == null ? "" : request.uri().getQuery();
        String verb = switch (request.method()) {
            case "GET" -> named ? "get" : query.contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new AssertionError("unexpected method " + request);
        };
        return group + " " + resource + " " + verb;
    }

    /** Collects, with their paths, the fields the model kept as additional properties: those it does not know. */
    private static void unknownFields(Object value, String path, List<String> found) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, found));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), path + "[" + i + "]", found);
            }
        } else if (value != null && value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            for (Method getter : value.getClass().getMethods()) {
                if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                        || getter.getDeclaringClass() == Object.class) {
                    continue;
                }
                Object field;
                try {
                    field = getter.invoke(value);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        found.add(path + ": " + extra.keySet());
                    }
                } else {
                    unknownFields(field, path + "." + getter.getName().substring(3), found);
                }
            }
        }
    }

    private static <T extends HasMetadata> T load(String file, Class<T> type) throws IOException {
        return MODEL.unmarshal(Files.readString(DIR.resolve(file)), type);
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> listing = Files.list(DIR)) {
            return listing.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
