package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {

    @TempDir
    Path tmp;

    @Test
    void theLayoutIsTheOneExistingDataDirectoriesHave() {
        DataDir data = new DataDir(tmp);
        RunDir run = data.run(7);
        TrialDir trial = run.trial(3);

        assertThat(relative(data.store())).isEqualTo("hone.db");
        assertThat(relative(run.root())).isEqualTo("runs/7");
        assertThat(relative(run.workspace())).isEqualTo("runs/7/workspace");
        assertThat(relative(run.pristine())).isEqualTo("runs/7/workspace.orig");
        assertThat(relative(run.checkpoint(4))).isEqualTo("runs/7/workspace.before-trial-4");
        assertThat(relative(run.owner())).isEqualTo("runs/7/owner");
        assertThat(relative(run.rebuildLog(2))).isEqualTo("runs/7/rebuild-2.log");
        assertThat(relative(run.rebuildHistory())).isEqualTo("runs/7/rebuild-history.json");
        assertThat(relative(run.imageBuildLog())).isEqualTo("runs/7/image-build.log");
        assertThat(relative(run.agent())).isEqualTo("runs/7/.hone-docker");
        assertThat(relative(trial.params())).isEqualTo("runs/7/trials/3/params.json");
        assertThat(relative(trial.output())).isEqualTo("runs/7/trials/3/output");
        assertThat(relative(trial.log())).isEqualTo("runs/7/trials/3/train.log");
        assertThat(relative(trial.diff())).isEqualTo("runs/7/trials/3/workspace.diff");
        assertThat(relative(data.model("digits v2"))).isEqualTo("projects/digits_v2/model");
        assertThat(relative(data.stagedModel("digits v2"))).isEqualTo("projects/digits_v2/model.new");
        assertThat(relative(data.model(".."))).as("never outside projects/").isEqualTo("projects/_./model");
        assertThat(relative(data.model("."))).isEqualTo("projects/_/model");
        assertThat(relative(data.mirrors())).isEqualTo("repos");
        assertThat(relative(data.checkout(7))).isEqualTo("checkouts/7");
        assertThat(relative(data.demo("quickstart"))).isEqualTo("demo/quickstart");
        assertThat(DataDir.inHome(tmp)).isEqualTo(new DataDir(tmp.resolve(".hone")));
    }

    @Test
    void aRunDirectoryIsFoundFromItsWorkspaceAndFromATrialLog() {
        RunDir run = new DataDir(tmp).run(7);

        assertThat(RunDir.ofWorkspace(run.workspace())).isEqualTo(run);
        assertThat(RunDir.ofTrialLog(run.trial(2).log())).isEqualTo(run);
        assertThat(run.data()).isEqualTo(new DataDir(tmp));
        assertThat(run.trialLogs()).isEqualTo(tmp + "/runs/7/trials/<trial>/train.log");
        assertThat(run.rebuildLogs()).isEqualTo(tmp + "/runs/7/rebuild-<k>.log");
    }

    @Test
    void checkpointsAreListedWithTheirTrialAndWhetherTheyAreWhole() throws IOException {
        RunDir run = new DataDir(tmp).run(1);
        Files.createDirectories(run.checkpoint(3));
        Files.createDirectories(DataDir.partial(run.checkpoint(4)));
        Files.createDirectories(run.root().resolve("workspace.before-trial-x"));
        Files.createDirectories(run.workspace());

        assertThat(run.checkpoints()).containsExactlyInAnyOrder(
                new RunDir.Checkpoint(run.checkpoint(3), 3, true),
                new RunDir.Checkpoint(DataDir.partial(run.checkpoint(4)), Integer.MAX_VALUE, false),
                new RunDir.Checkpoint(run.root().resolve("workspace.before-trial-x"), Integer.MAX_VALUE, true));
        assertThat(new DataDir(tmp).run(2).checkpoints()).as("no run directory").isEmpty();
    }

    @Test
    void theRebuildProgramsRunsAreCountedByTheirLogs() throws IOException {
        RunDir run = new DataDir(tmp).run(1);
        Files.createDirectories(run.root());
        Files.writeString(run.rebuildLog(1), "");
        Files.writeString(run.rebuildLog(2), "");
        Files.writeString(run.rebuildHistory(), "[]");
        Files.writeString(run.root().resolve("rebuild-2.log.bak"), "");

        assertThat(run.rebuildCount()).isEqualTo(2);
        assertThat(new DataDir(tmp).run(2).rebuildCount()).as("no run directory").isZero();
    }

    @Test
    void deleteRemovesATreeButNotWhatItsLinksPointAt() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "kept");
        Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
        Files.writeString(tree.resolve("f.txt"), "x");
        Files.writeString(tmp.resolve("tree/top.txt"), "y");
        Files.createSymbolicLink(tmp.resolve("tree/a/link"), outside);
        Files.createSymbolicLink(tmp.resolve("tree/dangling"), tmp.resolve("nowhere"));

        DataDir.delete(tmp.resolve("tree"));

        assertThat(tmp.resolve("tree")).doesNotExist();
        assertThat(outside.resolve("keep.txt")).hasContent("kept");
    }

    @Test
    void deleteOfAFileDeletesItAndOfNothingDoesNothing() throws IOException {
        Path file = Files.writeString(tmp.resolve("f.txt"), "x");

        DataDir.delete(file);
        DataDir.delete(tmp.resolve("missing"));

        assertThat(file).doesNotExist();
        assertThat(tmp).isEmptyDirectory();
    }

    private String relative(Path path) {
        return tmp.relativize(path).toString();
    }
}
