package dev.hone.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.server.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bare cache against a real repository pushed to with the git command line. */
class MirrorTest {

    @TempDir
    Path tmp;

    @Test
    void listsBranchHeadsWithoutFetchingAnything() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        String main = repo.write("main.py", "print(1)\n").commit("One");
        repo.push("main");
        repo.switchTo("dev");
        String dev = repo.commit("Two");
        repo.push("dev");
        Mirror mirror = new Mirror(repo.url(), null, tmp.resolve("cache"));

        assertThat(mirror.branches()).isEqualTo(Map.of("main", main, "dev", dev));
        assertThat(tmp.resolve("cache")).doesNotExist();
    }

    @Test
    void fetchesAndChecksACommitOutWithoutGitMetadata() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        repo.write("main.py", "print('accuracy=1')\n").write("lib/util.py", "X = 1\n").write("run.sh", "echo hi\n");
        Files.setPosixFilePermissions(repo.work.resolve("run.sh"),
                PosixFilePermissions.fromString("rwxr-xr-x"));
        String first = repo.commit("First\n\nbody");
        repo.write("main.py", "print('accuracy=2')\n").commit("Second");
        repo.push("main");
        Mirror mirror = new Mirror(repo.url(), null, tmp.resolve("cache"));

        assertThat(mirror.commit(first)).as("nothing fetched yet").isEmpty();
        mirror.fetch();
        Commit commit = mirror.commit(first).orElseThrow();
        assertThat(commit.author()).isEqualTo("Ana Dev <ana@example.com>");
        assertThat(commit.message()).isEqualTo("First");
        assertThat(mirror.commit(first.substring(0, 10)).orElseThrow().sha()).isEqualTo(first);
        assertThat(mirror.commit("main").orElseThrow().message()).isEqualTo("Second");

        Path out = tmp.resolve("checkouts/1");
        mirror.checkout(first, out);
        assertThat(Files.readString(out.resolve("main.py"))).isEqualTo("print('accuracy=1')\n");
        assertThat(Files.readString(out.resolve("lib/util.py"))).isEqualTo("X = 1\n");
        assertThat(Files.isExecutable(out.resolve("run.sh"))).isTrue();
        assertThat(out.resolve(".git")).doesNotExist();
    }

    @Test
    void anUnreachableRepositoryFailsWithItsUrlAndNoPassword() {
        Mirror mirror = new Mirror("https://bot:hunter2@127.0.0.1:1/acme/digits.git",
                new GitAuth("bot", "hunter2"), tmp.resolve("cache"));
        assertThatThrownBy(mirror::branches).isInstanceOf(GitException.class)
                .hasMessageStartingWith("cannot list the branches of https://bot:***@127.0.0.1:1/acme/digits.git: ")
                .message().doesNotContain("hunter2");
    }
}
