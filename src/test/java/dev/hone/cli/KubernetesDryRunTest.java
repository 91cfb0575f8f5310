package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hone run --executor kubernetes --dry-run}: the Secret and Job manifests a cluster admin reviews, printed
 * without contacting a cluster or recording a run.
 */
class KubernetesDryRunTest {

    private static final String TOKEN = "wandb-5e7c2a91d0";

    @TempDir
    Path home;

    @Test
    void printsTheSecretAndTheJobItWouldCreateWithTheSecretsMasked() throws IOException {
        Path dir = RunCommandTest.project(home.resolve("digits"), """
                train:
                  timeout: 10m
                  env: {WANDB_API_KEY: "${WANDB_API_KEY}", EPOCHS: "3"}
                environment:
                  image: registry.example.com/ml/digits:1.4
                  resources: {cpus: 2, memory: 4g, gpus: 1}
                  kubernetes:
                    namespace: ml-training
                    labels: {team: vision}
                """, "print('accuracy=1')\n");
        Cli cli = new Cli(home);
        cli.env.put("WANDB_API_KEY", TOKEN);

        int code = cli.run("run", dir.toString(), "--executor", "kubernetes", "--dry-run");

        assertThat(code).as(cli.err()).isZero();
        String yaml = cli.out();
        assertThat(yaml).startsWith("# executor kubernetes (as configured): what trial 1 submits; the run id (0),"
                + " its paths and the trial's parameters are placeholders\n---\napiVersion: \"v1\"\nkind: \"Secret\"");
        assertThat(yaml).contains("kind: \"Job\"", "image: \"registry.example.com/ml/digits:1.4\"",
                "namespace: \"ml-training\"", "team: \"vision\"", "hone.trial: \"1\"", "backoffLimit: 0",
                "activeDeadlineSeconds: 600", "nvidia.com/gpu: \"1\"", "cpu: \"2000m\"", "memory: \"4294967296\"",
                "name: \"EPOCHS\"", "value: \"3\"", "name: \"HONE_COMMAND\"", "value: \"python3 main.py\"",
                "WANDB_API_KEY: \"Kioq\""); // base64 of ***
        assertThat(yaml).doesNotContain(TOKEN);
        assertThat(Files.exists(cli.data().resolve("runs"))).as("a run directory").isFalse();
    }

    @Test
    void anInvalidKubernetesBlockIsAUsageError() throws IOException {
        Path dir = RunCommandTest.project(home.resolve("digits"), """
                environment:
                  image: registry.example.com/ml/digits:1.4
                  kubernetes: {namespace: ML}
                """, "print('accuracy=1')\n");
        Cli cli = new Cli(home);

        assertThat(cli.run("run", dir.toString(), "--executor", "kubernetes", "--dry-run")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: hone.yaml:3:27: environment.kubernetes.namespace: is not a"
                + " namespace Kubernetes accepts — lower-case letters, digits and -, beginning and ending with a letter"
                + " or digit, got \"ML\"\nFix this in hone.yaml and run `hone validate` to check.\n");
    }
}
