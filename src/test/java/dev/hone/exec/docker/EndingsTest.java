package dev.hone.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.exec.ProcessResult;
import dev.hone.exec.ProcessResult.Ending;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndingsTest {

    private static final Endings.Limits LIMITS = new Endings.Limits(256L * 1024 * 1024, 512, false);

    private static ProcessResult ending(int status, int oomKills, int pidsHits, String... tail) {
        return Endings.of(new AgentChannel.Exit(status, oomKills, pidsHits, null, null), LIMITS, Duration.ofSeconds(1),
                List.of(tail));
    }

    @Test
    void aSigkillWhileTheMemoryLimitKilledIsOomKilledWithTheLimit() {
        ProcessResult result = ending(137, 1, 0, "Killed");

        assertThat(result.ending()).isEqualTo(Ending.OOM_KILLED);
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(result.detail()).isEqualTo("killed: out of memory (limit 256 MiB)");
    }

    @Test
    void aSigkillWithoutAnOomKillIsJustASignal() {
        assertThat(ending(137, 0, 0).detail()).isEqualTo("killed by signal 9 (exit 137)");
        assertThat(ending(137, 0, 0).ending()).isEqualTo(Ending.EXITED);
    }

    @Test
    void aFailureWhileForksWereRefusedNamesThePidsLimit() {
        assertThat(ending(1, 0, 3).detail()).isEqualTo("the process limit was reached (pids limit 512): the command"
                + " tried to start more processes or threads than the container allows (exit 1)");
    }

    @Test
    void aFailureAfterAChildWasOomKilledSaysSo() {
        assertThat(ending(1, 1, 0).detail())
                .isEqualTo("a process of the command was killed: out of memory (limit 256 MiB) (exit 1)");
    }

    @Test
    void theShellsOwnErrorsAreExplained() {
        assertThat(ending(127, 0, 0, "sh: 1: trainer: not found").detail())
                .isEqualTo("command not found: trainer (exit 127)");
        assertThat(ending(0, 1, 1).detail()).isNull();
        assertThat(ending(2, 0, 0).detail()).isNull();
    }

    @Test
    void limitsAreNamedAsPeopleWriteThem() {
        assertThat(new Endings.Limits(2L * 1024 * 1024 * 1024, 64, false).memory()).isEqualTo("limit 2 GiB");
        assertThat(new Endings.Limits(null, 64, false).memory()).isEqualTo("no memory limit: the machine's memory ran out");
    }
}
