package dev.hone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hone bench fetch} on a short history: every way is measured, and the shallow ones store less. */
class FetchBenchTest {

    @TempDir
    Path work;

    @Test
    void aShortHistoryReportsEachWayAndTheShallowOnesKeepLessThanTheWholeHistory() {
        FetchBench.Result result = new FetchBench(Map.of("HOME", work.toString())).measure(150, 2, work);

        assertThat(result.ways()).extracting(FetchBench.Way::name).containsExactly("whole history (every branch)",
                "branch head, shallow", "one commit 100 behind the head, by SHA");
        assertThat(result.ways()).allSatisfy(way -> assertThat(way.ms()).hasSize(2).allMatch(ms -> ms > 0));
        long whole = result.ways().get(0).cacheBytes();
        assertThat(result.ways().get(1).cacheBytes()).isLessThan(whole);
        assertThat(result.ways().get(2).cacheBytes()).isLessThan(whole);
        assertThat(FetchBench.report(result)).startsWith("fetching a run's commit from a local bare repository of "
                + "150 commits (").contains("| branch head, shallow | ");
    }
}
