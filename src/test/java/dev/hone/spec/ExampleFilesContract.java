package dev.hone.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example file of one format, through its loader and its JSON Schema. Valid files pass both. Each invalid
 * file starts with the problems the loader must report ({@code # expect: ...}) and whether the schema catches the
 * mistake too ({@code # schema: rejects}) or cannot, because the mistake is semantic ({@code # schema: accepts}).
 * Invalid files load with an empty environment. Each file format runs this contract.
 */
abstract class ExampleFilesContract {

    private final Path valid;
    private final Path invalid;
    final HoneSchema schema;

    /** {@code dir} holds {@code valid/} and {@code invalid/}. */
    ExampleFilesContract(Path dir, Path schemaFile) {
        valid = dir.resolve("valid");
        invalid = dir.resolve("invalid");
        schema = new HoneSchema(schemaFile);
    }

    /** Loads {@code yaml} named {@code fileName}, throwing {@link InvalidSpecException} for its problems. */
    abstract void load(String yaml, String fileName, Map<String, String> env);

    /** The file name invalid examples' expected problems start with. */
    abstract String fileName();

    /** The environment the valid examples load with. */
    abstract Map<String, String> env();

    @TestFactory
    Stream<DynamicTest> validExamplesLoadAndMatchTheSchema() {
        return files(valid).map(file -> dynamicTest(file.getFileName().toString(), () -> {
            String yaml = read(file);
            load(yaml, file.toString(), env());
            assertThat(schema.problems(yaml)).isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidExamplesFailWithTheirExpectedProblems() {
        return files(invalid).map(file -> dynamicTest(file.getFileName().toString(), () -> {
            String yaml = read(file);
            List<String> expected = header(yaml, "# expect: ");
            List<String> verdict = header(yaml, "# schema: ");
            assertThat(expected).as("%s names the problems it expects", file).isNotEmpty();
            assertThat(verdict).as("%s says whether the schema rejects it", file).hasSize(1);

            InvalidSpecException e = catchThrowableOfType(InvalidSpecException.class,
                    () -> load(yaml, fileName(), Map.of()));
            assertThat(e).as("%s fails to load", file).isNotNull();
            assertThat(e.problemLines()).isEqualTo(expected);
            if (verdict.getFirst().startsWith("rejects")) {
                assertThat(schema.problems(yaml)).as("schema verdict on %s", file).isNotEmpty();
            } else {
                assertThat(verdict.getFirst()).startsWith("accepts — ");
                assertThat(schema.problems(yaml)).as("schema verdict on %s", file).isEmpty();
            }
        }));
    }

    private static List<String> header(String yaml, String prefix) {
        return yaml.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    static Stream<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
