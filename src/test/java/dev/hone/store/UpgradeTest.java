package dev.hone.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.run.RunStatus;
import dev.hone.tune.Trial;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A store written by an earlier release opens with this code, migrates, and reads back what that release wrote:
 * each {@code store-v<N>.db} of {@code src/test/resources/upgrade/} (made by {@link UpgradeFixtures}, one per release
 * that changed the schema) against its {@code store-v<N>.json}. A field this code has and the fixture's release had
 * not is not compared; every field the fixture has must read the same.
 */
class UpgradeTest {

    private static final Pattern FIXTURE = Pattern.compile("store-v(\\d+)\\.db");

    @TempDir
    Path scratch;

    static Stream<Path> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(UpgradeFixtures.FOLDER)) {
            return files.filter(f -> FIXTURE.matcher(f.getFileName().toString()).matches()).sorted().toList()
                    .stream();
        }
    }

    @Test
    void thereIsAFixtureOfTheReleaseBeforeEachSchemaChange() throws IOException {
        assertThat(fixtures()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void aStoreOfAnEarlierReleaseOpensMigratesAndReadsBackWhatItHeld(Path fixture) throws Exception {
        Matcher name = FIXTURE.matcher(fixture.getFileName().toString());
        assertThat(name.matches()).isTrue();
        Path db = Files.copy(fixture, scratch.resolve("hone.db"));
        assertThat(UpgradeFixtures.schemaVersion(db)).as("the schema the fixture was written with")
                .isEqualTo(Integer.parseInt(name.group(1)));
        JsonNode expected = UpgradeFixtures.tree(Files.readString(
                fixture.resolveSibling(fixture.getFileName().toString().replace(".db", ".json"))));

        try (Store store = Stores.open(db.toString())) {
            JsonNode actual = UpgradeFixtures.tree(UpgradeFixtures.snapshot(store));
            List<String> differences = new ArrayList<>();
            compare("", expected, actual, differences);
            assertThat(differences).as("what reads differently from " + fixture).isEmpty();

            long next = store.createRun(new NewRun("churn", "/src/churn", null, null, null, null, null,
                    Instant.parse("2027-01-01T00:00:00Z")));
            store.saveTrial(next, Trial.running(1, Map.of("lr", 0.1)), Instant.parse("2027-01-01T00:00:01Z"), "log");
            assertThat(store.run(next).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(store.trials(next)).hasSize(1);
        }
        assertThat(UpgradeFixtures.schemaVersion(db)).as("migrated to this code's latest schema")
                .isEqualTo(latestMigration());
    }

    /** Every field of {@code expected} is in {@code actual} with the same value; arrays have the same length. */
    private static void compare(String at, JsonNode expected, JsonNode actual, List<String> differences) {
        if (expected.isObject() && actual.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = expected.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String path = at + "." + field.getKey();
                if (!actual.has(field.getKey())) {
                    differences.add(path + " is gone (it was " + field.getValue() + ")");
                } else {
                    compare(path, field.getValue(), actual.get(field.getKey()), differences);
                }
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                compare(at + "[" + i + "]", expected.get(i), actual.get(i), differences);
            }
        } else if (!expected.equals(actual)) {
            differences.add(at + " was " + expected + ", reads " + actual);
        }
    }

    /** The highest version among the SQLite migrations this code carries. */
    private static int latestMigration() throws IOException, URISyntaxException {
        Path migrations = Path.of(UpgradeTest.class.getResource("/db/migration/sqlite").toURI());
        try (Stream<Path> files = Files.list(migrations)) {
            return files.map(f -> f.getFileName().toString())
                    .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                    .max(Integer::compare).orElseThrow();
        }
    }

    @Test
    void theComparisonFindsAChangedValueAndAMissingField() {
        List<String> differences = new ArrayList<>();

        compare("", UpgradeFixtures.tree("{\"runs\":[{\"status\":\"target_reached\",\"best\":1}],\"n\":[1,2]}"),
                UpgradeFixtures.tree("{\"runs\":[{\"status\":\"failed\",\"extra\":2}],\"n\":[1]}"), differences);

        assertThat(differences).containsExactly(".runs[0].status was \"target_reached\", reads \"failed\"",
                ".runs[0].best is gone (it was 1)", ".n was [1,2], reads [1]");
    }
}
