package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.server.GitFixture;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.testing.Parts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reproducibility record of a Docker run holds the image's content (its id), not only its name; {@code hone
 * reproduce} says when the name now means another image. A real dockerd and Hone's offline images, tagged under a
 * name of the test's own.
 */
class ReproduceDockerTest {

    @TempDir
    Path tmp;
    final String tag = "hone-test/reproduce-" + UUID.randomUUID().toString().substring(0, 8) + ":1";

    @BeforeEach
    void needsDocker() {
        Parts.requireDocker();
    }

    @AfterEach
    void untag() throws Exception {
        docker("rmi", tag);
    }

    @Test
    void theRecordHoldsTheImagesIdAndReproduceSaysWhenTheNameNowMeansAnotherImage() throws Exception {
        docker("tag", "hone/python:latest", tag);
        GitFixture git = new GitFixture(tmp, "digits");
        git.write("hone.yaml", """
                name: digits
                environment: {image: "%s"}
                metric: {name: accuracy}
                """.formatted(tag)).write("main.py", "print('accuracy=0.9')\n").commit("One");
        Cli cli = new Cli(tmp.resolve("home"));
        assertThat(cli.run("run", git.work.toString(), "--executor", "docker")).as(cli.out() + cli.err()).isZero();
        String then = docker("image", "inspect", "--format", "{{.Id}}", tag);

        try (Store store = Stores.open(cli.data().resolve("hone.db").toString())) {
            JsonNode record = new ObjectMapper().readTree(store.reproduction(1).orElseThrow());
            assertThat(record.get("image").asText()).isEqualTo(tag);
            assertThat(record.get("image_digest").asText()).startsWith("sha256:").isEqualTo(then);
        }

        docker("tag", "hone/sklearn:latest", tag);
        String now = docker("image", "inspect", "--format", "{{.Id}}", tag);
        assertThat(now).isNotEqualTo(then);
        int code = cli.run("reproduce", "1", "1", "--executor", "docker");

        assertThat(code).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).isEqualTo("trial 1 of run 1 reproduced: accuracy 0.9, the same value (run 2); the image "
                + tag + " is another now (" + then + " then, " + now + " now)\n");
    }

    private static String docker(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "docker";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }
}
