package dev.hone.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.error.HoneException;
import dev.hone.testing.Parts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Whether the workspace container's non-root user can reach the run directory Hone mounts at its own path. */
@ExtendWith(DockerAvailable.class)
class DockerMountAccessTest {

    /**
     * Hone as root with a umask of 077 makes the run directory drwx------ root: the container's user (uid 1000) is
     * shut out of it, and no covering helps; the start fails saying who cannot open what, and what to do.
     */
    @Test
    void aRunDirectoryClosedToTheContainersUserFailsTheStartSayingWhatToDo(@TempDir Path data) throws Exception {
        Parts.require(Ownership.ofThisProcess().handOver(), "Hone running as root");
        Runs run = new Runs(data);
        Files.setPosixFilePermissions(run.dir, PosixFilePermissions.fromString("rwx------"));

        assertThatThrownBy(() -> new DockerExecutor(System.getenv()).open(run.workspace,
                run.config("hone/python", null, false)))
                .isInstanceOf(HoneException.class)
                .hasMessage("the workspace container's user (uid:gid 1000:1000) cannot open " + run.dir
                        + " (drwx------, owner 0:0), the run directory it mounts: the run directory must be open to"
                        + " that user; start Hone with umask 022 (Hone writes the run's files with the umask it runs"
                        + " with), or with rootless Docker or user namespaces (userns-remap) make the data directory"
                        + " belong to the user that uid 1000 is on this machine");
        assertThat(run.containersGoneWithin(10)).as("containers of the run left behind").isTrue();
    }
}
