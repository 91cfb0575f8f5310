package dev.hone.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.error.HoneException;
import dev.hone.data.RunDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {

    @TempDir
    Path tmp;
    Path checkout;
    Workspace workspace;

    @BeforeEach
    void checkout() throws IOException {
        checkout = Files.createDirectories(tmp.resolve("digits"));
        Files.writeString(checkout.resolve("main.py"), "import sys\nepochs = 5\nprint(epochs)\n");
        Files.createDirectories(checkout.resolve("lib"));
        Files.writeString(checkout.resolve("lib/util.py"), "def f():\n    return 1\n");
        Files.createDirectories(checkout.resolve(".git/objects"));
        Files.writeString(checkout.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.createDirectories(checkout.resolve("lib/__pycache__"));
        Files.write(checkout.resolve("lib/__pycache__/util.cpython-312.pyc"), new byte[] {0, 1, 2});
        workspace = Workspace.create(checkout, new RunDir(tmp.resolve("runs/1")));
    }

    @Test
    void copiesTheCheckoutWithoutGitAndCaches() {
        Path dir = workspace.dir();

        assertThat(dir).isEqualTo(tmp.resolve("runs/1/workspace"));
        assertThat(dir.resolve("main.py")).hasContent("import sys\nepochs = 5\nprint(epochs)");
        assertThat(dir.resolve("lib/util.py")).exists();
        assertThat(dir.resolve(".git")).doesNotExist();
        assertThat(dir.resolve("lib/__pycache__")).doesNotExist();
    }

    @Test
    void aLinkOutOfTheCheckoutIsCopiedAsALinkNeverFollowed() throws IOException {
        Path host = Files.createDirectories(tmp.resolve("host"));
        Files.writeString(host.resolve("passwd"), "root:x:0:0\n");
        Files.createSymbolicLink(checkout.resolve("passwd"), host.resolve("passwd"));
        Files.createSymbolicLink(checkout.resolve("etc"), host);

        Workspace copy = Workspace.create(checkout, new RunDir(tmp.resolve("runs/2")));

        assertThat(Files.readSymbolicLink(copy.dir().resolve("passwd"))).isEqualTo(host.resolve("passwd"));
        assertThat(Files.readSymbolicLink(copy.dir().resolve("etc"))).isEqualTo(host);
        copy.checkpoint(1);
        assertThat(Files.isSymbolicLink(tmp.resolve("runs/2/workspace.before-trial-1/passwd"))).isTrue();
        assertThat(copy.diff()).as("links are not files of the diff").isEmpty();
    }

    @Test
    void anUntouchedWorkspaceHasNoDiff() {
        assertThat(workspace.diff()).isEmpty();
    }

    @Test
    void anEditedFileIsAUnifiedDiff() throws IOException {
        Files.writeString(workspace.dir().resolve("main.py"), "import sys\nepochs = 10\nprint(epochs)\n");

        assertThat(workspace.diff()).isEqualTo("""
                diff --git a/main.py b/main.py
                --- a/main.py
                +++ b/main.py
                @@ -1,3 +1,3 @@
                 import sys
                -epochs = 5
                +epochs = 10
                 print(epochs)
                """);
    }

    @Test
    void addedAndDeletedFilesAreIncludedInPathOrder() throws IOException {
        Files.writeString(workspace.dir().resolve("layers.py"), "LAYERS = 3\n");
        Files.delete(workspace.dir().resolve("lib/util.py"));

        assertThat(workspace.diff()).isEqualTo("""
                diff --git a/layers.py b/layers.py
                new file mode 100644
                --- /dev/null
                +++ b/layers.py
                @@ -0,0 +1 @@
                +LAYERS = 3
                diff --git a/lib/util.py b/lib/util.py
                deleted file mode 100644
                --- a/lib/util.py
                +++ /dev/null
                @@ -1,2 +0,0 @@
                -def f():
                -    return 1
                """);
    }

    @Test
    void aMissingFinalNewlineIsMarked() throws IOException {
        Files.writeString(workspace.dir().resolve("lib/util.py"), "def f():\n    return 2");

        assertThat(workspace.diff()).isEqualTo("""
                diff --git a/lib/util.py b/lib/util.py
                --- a/lib/util.py
                +++ b/lib/util.py
                @@ -1,2 +1,2 @@
                 def f():
                -    return 1
                +    return 2
                \\ No newline at end of file
                """);
    }

    @Test
    void binaryFilesAreNotedNotPrinted() throws IOException {
        Files.write(workspace.dir().resolve("model.bin"), new byte[] {0, 7, 0, 9});

        assertThat(workspace.diff()).isEqualTo("""
                diff --git a/model.bin b/model.bin
                new file mode 100644
                Binary files differ
                """);
    }

    @Test
    void aFileMadeExecutableIsAModeChange() {
        assertThat(workspace.dir().resolve("main.py").toFile().setExecutable(true)).isTrue();

        assertThat(workspace.diff()).isEqualTo("""
                diff --git a/main.py b/main.py
                old mode 100644
                new mode 100755
                """);
    }

    @Test
    void changesUnderSkippedDirectoriesAreIgnored() throws IOException {
        Files.createDirectories(workspace.dir().resolve("__pycache__"));
        Files.writeString(workspace.dir().resolve("__pycache__/main.cpython-312.pyc"), "x");
        Files.createDirectories(workspace.dir().resolve(".git"));
        Files.writeString(workspace.dir().resolve(".git/HEAD"), "x");

        assertThat(workspace.diff()).isEmpty();
    }

    @Test
    void refusesATargetThatIsNotEmpty() throws IOException {
        Path taken = Files.createDirectories(tmp.resolve("taken/workspace"));
        Files.writeString(taken.resolve("x"), "x");

        assertThatThrownBy(() -> Workspace.create(checkout, new RunDir(tmp.resolve("taken"))))
                .isInstanceOf(HoneException.class)
                .hasMessage("workspace: " + taken + " already exists and is not an empty directory; remove it or"
                        + " choose another run directory");
    }

    @Test
    void refusesASourceThatIsNotADirectory() {
        Path missing = tmp.resolve("nope");

        assertThatThrownBy(() -> Workspace.create(missing, new RunDir(tmp.resolve("w"))))
                .isInstanceOf(HoneException.class)
                .hasMessage("workspace: source " + missing + " is not a directory");
    }

    @Test
    void leavesNoPartialCopyBehind() throws IOException {
        try (var entries = Files.list(tmp.resolve("runs/1"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("workspace",
                    "workspace.orig");
        }
    }

    @Test
    void aDataDirectoryInsideTheProjectIsNotCopiedIntoItself() throws IOException {
        Files.createDirectories(checkout.resolve("data/runs/1"));
        Files.writeString(checkout.resolve("data/hone.db"), "x");

        Workspace inside = Workspace.create(checkout, new RunDir(checkout.resolve("data/runs/2")));

        assertThat(inside.dir().resolve("main.py")).exists();
        assertThat(inside.dir().resolve("data")).doesNotExist();
        assertThat(inside.diff()).isEmpty();
    }

    @Nested
    class Reopened {

        @Test
        void keepsTheEditsOfTheProcessThatStopped() throws IOException {
            Files.writeString(workspace.dir().resolve("main.py"), "import sys\nepochs = 10\nprint(epochs)\n");
            String edited = workspace.diff();

            Workspace again = Workspace.reopen(checkout, new RunDir(tmp.resolve("runs/1")), 1);

            assertThat(again.dir().resolve("main.py")).hasContent("import sys\nepochs = 10\nprint(epochs)");
            assertThat(again.diff()).isEqualTo(edited).contains("+epochs = 10");
        }

        @Test
        void putsBackTheCheckpointOfARebuildWhoseTrialWasNotRecorded() throws IOException {
            Files.writeString(workspace.dir().resolve("main.py"), "import sys\nepochs = 10\nprint(epochs)\n");
            String settled = workspace.diff();
            workspace.checkpoint(3);
            Files.writeString(workspace.dir().resolve("main.py"), "import sys\nepochs = 20\n");
            Files.writeString(workspace.dir().resolve("extra.py"), "x = 1\n");
            Files.delete(workspace.dir().resolve("lib/util.py"));
            Files.createDirectories(workspace.dir().resolve("lib/__pycache__"));
            Files.write(workspace.dir().resolve("lib/__pycache__/main.cpython-312.pyc"), new byte[] {7});

            Workspace again = Workspace.reopen(checkout, new RunDir(tmp.resolve("runs/1")), 2);

            assertThat(again.diff()).isEqualTo(settled);
            assertThat(again.dir().resolve("extra.py")).doesNotExist();
            assertThat(again.dir().resolve("lib/util.py")).hasContent("def f():\n    return 1");
            assertThat(again.dir().resolve("lib/__pycache__/main.cpython-312.pyc")).as("caches are left alone")
                    .exists();
            assertThat(tmp.resolve("runs/1/workspace.before-trial-3")).doesNotExist();
        }

        @Test
        void keepsTheEditsOfARebuildWhoseTrialWasRecorded() throws IOException {
            workspace.checkpoint(3);
            Files.writeString(workspace.dir().resolve("main.py"), "import sys\nepochs = 20\n");
            String edited = workspace.diff();

            Workspace again = Workspace.reopen(checkout, new RunDir(tmp.resolve("runs/1")), 3);

            assertThat(again.diff()).isEqualTo(edited).contains("+epochs = 20");
            assertThat(tmp.resolve("runs/1/workspace.before-trial-3")).doesNotExist();
        }

        @Test
        void aCheckpointCutShortIsDroppedAndTheEditsStay() throws IOException {
            Files.writeString(workspace.dir().resolve("main.py"), "import sys\nepochs = 20\n");
            Files.createDirectories(tmp.resolve("runs/1/workspace.before-trial-3.partial"));
            Files.writeString(tmp.resolve("runs/1/workspace.before-trial-3.partial/main.py"), "import sy");

            Workspace again = Workspace.reopen(checkout, new RunDir(tmp.resolve("runs/1")), 2);

            assertThat(again.dir().resolve("main.py")).hasContent("import sys\nepochs = 20");
            assertThat(tmp.resolve("runs/1/workspace.before-trial-3.partial")).doesNotExist();
        }

        @Test
        void aNewCheckpointReplacesTheOneBeforeAndReleaseDropsIt() throws IOException {
            workspace.checkpoint(2);
            Files.writeString(workspace.dir().resolve("main.py"), "import sys\nepochs = 20\n");
            workspace.checkpoint(3);

            assertThat(tmp.resolve("runs/1/workspace.before-trial-2")).doesNotExist();
            assertThat(tmp.resolve("runs/1/workspace.before-trial-3/main.py")).hasContent("import sys\nepochs = 20");
            workspace.release();
            assertThat(tmp.resolve("runs/1/workspace.before-trial-3")).doesNotExist();
        }

        @Test
        void startsOverFromACopyThatWasCutShort() throws IOException {
            RunDir target = new RunDir(tmp.resolve("runs/2"));
            Files.createDirectories(tmp.resolve("runs/2/workspace.orig.partial"));
            Files.writeString(tmp.resolve("runs/2/workspace.orig.partial/main.py"), "import sy");

            Workspace fresh = Workspace.reopen(checkout, target, 0);

            assertThat(fresh.dir().resolve("main.py")).hasContent("import sys\nepochs = 5\nprint(epochs)");
            assertThat(fresh.diff()).isEmpty();
            assertThat(tmp.resolve("runs/2/workspace.orig.partial")).doesNotExist();
        }

        @Test
        void makesANewOneWhenThereIsNone() {
            Workspace fresh = Workspace.reopen(checkout, new RunDir(tmp.resolve("runs/3")), 0);

            assertThat(fresh.dir().resolve("lib/util.py")).exists();
            assertThat(fresh.diff()).isEmpty();
        }
    }
}
