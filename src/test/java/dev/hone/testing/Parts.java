package dev.hone.testing;

import dev.hone.exec.docker.Docker;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real parts a test needs (a Python with scikit-learn, …). Outside CI a missing part skips the test; with
 * {@code CI=true} it fails it, because CI must have installed it (.ci/run).
 */
public final class Parts {

    private Parts() {}

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Debian's /usr/bin/python3 with python3-sklearn. */
    public static void requireSystemScikitLearn() {
        require(works("/usr/bin/python3", "-c", "import sklearn"),
                "/usr/bin/python3 with scikit-learn (apt-get install python3-sklearn)");
    }

    /** A Docker daemon that answers, with Hone's offline images hone/python and hone/sklearn. */
    public static void requireDocker() {
        require(Docker.unavailableReason(System.getenv()).isEmpty()
                        && works("docker", "image", "inspect", "hone/python", "hone/sklearn"),
                "a Docker daemon with the images hone/python and hone/sklearn (.ci/docker.sh)");
    }

    /** A Slurm cluster this host's sbatch reaches, with a node up (.ci/slurm.sh). */
    public static void requireSlurm() {
        require(works("sbatch", "--version") && works("sh", "-c", "sinfo -h -o %T | grep -qE '^(idle|mixed|allocated)'"),
                "a Slurm cluster reached by sbatch, with a node up (.ci/slurm.sh)");
    }

    public static void require(boolean present, String what) {
        if (inCi() && !present) {
            throw new AssertionError("CI must provide " + what + "; .ci/run installs it");
        }
        Assumptions.assumeTrue(present, "needs " + what);
    }

    private static boolean works(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
