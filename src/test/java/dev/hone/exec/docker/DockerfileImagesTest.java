package dev.hone.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.error.HoneException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerfileImagesTest {

    @TempDir
    Path context;
    Path dockerfile;

    @BeforeEach
    void project() throws Exception {
        dockerfile = context.resolve("Dockerfile");
        Files.writeString(dockerfile, "FROM hone/python\nCOPY . /opt/app\n");
        Files.writeString(context.resolve("main.py"), "print('hi')\n");
        Files.createDirectories(context.resolve("data"));
        Files.writeString(context.resolve("data/big.csv"), "1,2\n");
        Files.writeString(context.resolve(".dockerignore"), "# data is mounted, not copied\ndata\n");
    }

    @Test
    void theHashFollowsContentsNotTimestamps() throws Exception {
        String before = DockerfileImages.contentHash(context, dockerfile);
        Files.setLastModifiedTime(context.resolve("main.py"), FileTime.fromMillis(0));
        assertThat(DockerfileImages.contentHash(context, dockerfile)).isEqualTo(before).hasSize(16);

        Files.writeString(context.resolve("main.py"), "print('changed')\n");
        assertThat(DockerfileImages.contentHash(context, dockerfile)).isNotEqualTo(before);
    }

    @Test
    void theDockerfileItselfIsPartOfTheHash() throws Exception {
        String before = DockerfileImages.contentHash(context, dockerfile);
        Files.writeString(dockerfile, "FROM hone/sklearn\nCOPY . /opt/app\n");
        assertThat(DockerfileImages.contentHash(context, dockerfile)).isNotEqualTo(before);
    }

    @Test
    void aLinkCountsByWhereItPointsNeverByWhatItPointsTo(@TempDir Path elsewhere) throws Exception {
        Path outside = Files.writeString(elsewhere.resolve("host.txt"), "first\n");
        Files.createSymbolicLink(context.resolve("link.txt"), outside);
        String before = DockerfileImages.contentHash(context, dockerfile);

        Files.writeString(outside, "changed on the host\n");
        assertThat(DockerfileImages.contentHash(context, dockerfile)).as("the host's file is not read")
                .isEqualTo(before);
        Files.delete(context.resolve("link.txt"));
        Files.createSymbolicLink(context.resolve("link.txt"), elsewhere.resolve("other.txt"));
        assertThat(DockerfileImages.contentHash(context, dockerfile)).isNotEqualTo(before);
    }

    @Test
    void aDockerfileThatLinksOutOfTheCheckoutIsRefusedBeforeDockerIsAsked(@TempDir Path elsewhere)
            throws Exception {
        Path outside = Files.writeString(elsewhere.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Files.delete(dockerfile);
        Files.createSymbolicLink(dockerfile, outside);

        assertThatThrownBy(() -> new DockerfileImages(null).image(context, "Dockerfile", "digits",
                context.resolve("image-build.log")))
                .isInstanceOf(HoneException.class)
                .hasMessage("environment.dockerfile: Dockerfile leads out of the checkout through a symbolic link "
                        + "(Dockerfile -> " + outside + "): Hone reads only files inside the checkout — put the file "
                        + "itself there, not a link to it");
    }

    @Test
    void whatDockerignoreExcludesDoesNotCount() throws Exception {
        String before = DockerfileImages.contentHash(context, dockerfile);
        Files.writeString(context.resolve("data/big.csv"), "3,4\n");
        assertThat(DockerfileImages.contentHash(context, dockerfile)).isEqualTo(before);
    }

    @Test
    void dockerignorePatternsMatchPathsAndTheirDirectoriesAndBangReincludes() {
        List<String> patterns = List.of("data", "*.log", "!keep.log");

        assertThat(DockerfileImages.ignored(patterns, "data/x/y.csv")).isTrue();
        assertThat(DockerfileImages.ignored(patterns, "train.log")).isTrue();
        assertThat(DockerfileImages.ignored(patterns, "keep.log")).isFalse();
        assertThat(DockerfileImages.ignored(patterns, "main.py")).isFalse();
    }

    @Test
    void projectNamesBecomeRepositoryNames() {
        assertThat(DockerfileImages.repositoryName("My Project!")).isEqualTo("my-project-");
        assertThat(DockerfileImages.repositoryName("__")).isEqualTo("project");
    }
}
