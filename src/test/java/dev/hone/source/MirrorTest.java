package dev.hone.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.server.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bare cache against a real repository pushed to with the git command line. */
class MirrorTest {

    static final GitClient GIT = new GitClient(Map.of("HOME", "/nonexistent"));

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
        Mirror mirror = GIT.mirror(Remote.of(repo.url()), tmp.resolve("cache"));

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
        Mirror mirror = GIT.mirror(Remote.of(repo.url()), tmp.resolve("cache"));

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
    void fetchesOnlyTheCommitARunNeedsNotTheHistory() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        String first = repo.write("main.py", "print('accuracy=1')\n").commit("First");
        String second = repo.write("main.py", "print('accuracy=2')\n").commit("Second");
        String third = repo.write("main.py", "print('accuracy=3')\n").commit("Third");
        repo.push("main");
        Mirror mirror = GIT.mirror(Remote.of(repo.url()), tmp.resolve("cache"));

        assertThat(mirror.fetchCommit(second, "main").orElseThrow().message()).isEqualTo("Second");

        assertThat(Files.readString(tmp.resolve("cache/shallow")).strip()).isEqualTo(second);
        assertThat(mirror.commit(first)).as("its parent was not fetched").isEmpty();
        assertThat(mirror.commit(third)).as("nor the branch's head").isEmpty();
        mirror.fetchHeads(List.of("main"));
        assertThat(mirror.commit("main").orElseThrow().sha()).isEqualTo(third);
        assertThat(mirror.commit(first)).isEmpty();
        mirror.fetch();
        assertThat(mirror.commit(first)).as("the whole history when asked for").isPresent();
        assertThat(tmp.resolve("cache/shallow")).doesNotExist();
    }

    @Test
    void aCommitNoBranchHoldsIsNotFound() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        repo.write("main.py", "print(1)\n").commit("One");
        repo.push("main");
        Mirror mirror = GIT.mirror(Remote.of(repo.url()), tmp.resolve("cache"));

        assertThat(mirror.fetchCommit("0123456789abcdef0123456789abcdef01234567", "main")).isEmpty();
    }

    @Test
    void anUnreachableRepositoryFailsWithItsUrlAndNoPassword() {
        Mirror mirror = GIT.mirror(new Remote("https://bot:hunter2@127.0.0.1:1/acme/digits.git",
                new GitAuth.Password("bot", "hunter2"), null), tmp.resolve("cache"));
        assertThatThrownBy(mirror::branches).isInstanceOf(GitException.class)
                .hasMessage("cannot reach 127.0.0.1:1 for https://bot:***@127.0.0.1:1/acme/digits.git: the connection "
                        + "was refused — is the server up, and is the port right?")
                .message().doesNotContain("hunter2");
    }
}
