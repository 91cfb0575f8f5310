package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.store.NewRun;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.tune.Direction;
import dev.hone.tune.Trial;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's parameter importance is worked out once per set of ended trials, on a real SQLite store: asked again
 * unchanged it is the kept answer; a trial that ends (a running one does not count) makes it worked out again; only
 * the last {@value Importances#RUNS} runs asked for are kept.
 */
class ImportancesTest {

    static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path dir;
    Store store;
    Importances importances;

    @BeforeEach
    void open() {
        store = Stores.open(dir.resolve("hone.db").toString());
        importances = new Importances(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void anUnchangedRunIsNotWorkedOutAgainAndAnEndedTrialMakesItSo() {
        long id = store.createRun(new NewRun("p", "/src/p", null, null, null, null, null, AT));
        for (int n = 1; n <= 12; n++) {
            // y = 10·x: x decides everything, z nothing
            double x = (n * 7 % 12) / 12.0;
            store.saveTrial(id, Trial.succeeded(n, Map.of("x", x, "z", (n * 5 % 12) / 12.0), 10 * x, List.of(), 10),
                    AT, null);
        }
        Bodies.Importances first = importances.of(run(id), Direction.MINIMIZE);
        assertThat(first.trials()).isEqualTo(12);
        assertThat(first.params().getFirst().name()).isEqualTo("x");
        assertThat(importances.computed()).isEqualTo(1);

        assertThat(importances.of(run(id), Direction.MINIMIZE)).isSameAs(first);
        assertThat(importances.computed()).isEqualTo(1);

        store.saveTrial(id, Trial.running(13, Map.of("x", 0.5, "z", 0.5)), AT, null);
        assertThat(importances.of(run(id), Direction.MINIMIZE)).isSameAs(first);
        assertThat(importances.computed()).as("a running trial changes nothing").isEqualTo(1);

        store.saveTrial(id, Trial.succeeded(13, Map.of("x", 0.5, "z", 0.5), 5, List.of(), 10), AT, null);
        Bodies.Importances second = importances.of(run(id), Direction.MINIMIZE);
        assertThat(importances.computed()).isEqualTo(2);
        assertThat(second.trials()).isEqualTo(13);
        assertThat(importances.of(run(id), Direction.MAXIMIZE)).isNotSameAs(second);
        assertThat(importances.computed()).as("the other direction is another answer").isEqualTo(3);
    }

    @Test
    void onlyTheRunsAskedForLastAreKept() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i <= Importances.RUNS; i++) {
            ids.add(store.createRun(new NewRun("p", "/src/p", null, null, null, null, null, AT)));
        }
        ids.forEach(id -> importances.of(run(id), Direction.MINIMIZE));
        assertThat(importances.computed()).isEqualTo(Importances.RUNS + 1);
        importances.of(run(ids.getLast()), Direction.MINIMIZE);
        assertThat(importances.computed()).isEqualTo(Importances.RUNS + 1);
        importances.of(run(ids.getFirst()), Direction.MINIMIZE);
        assertThat(importances.computed()).as("the first run asked for was let go").isEqualTo(Importances.RUNS + 2);
    }

    private RunRow run(long id) {
        return store.run(id).orElseThrow();
    }
}
