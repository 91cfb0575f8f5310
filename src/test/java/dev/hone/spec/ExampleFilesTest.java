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
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example file, through the loader and through the JSON Schema. Valid files pass both. Each invalid file
 * starts with the problems the loader must report ({@code # expect: ...}) and whether the schema catches the
 * mistake too ({@code # schema: rejects}) or cannot, because the mistake is semantic ({@code # schema: accepts}).
 */
class ExampleFilesTest {

    private static final Path VALID = Path.of("src/test/resources/spec/valid");
    private static final Path INVALID = Path.of("src/test/resources/spec/invalid");
    private static final Path PROJECT_EXAMPLES = Path.of("examples");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
    private static final Map<String, String> ENV = Map.of(
            "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/x",
            "HOOK_SECRET", "s3cret");

    private final HoneSchema schema = new HoneSchema();

    @TestFactory
    Stream<DynamicTest> validExamplesLoadAndMatchTheSchema() {
        return files(VALID).map(file -> dynamicTest(file.getFileName().toString(), () -> {
            String yaml = read(file);
            SpecLoader.parse(yaml, file.toString(), "example", ENV);
            assertThat(schema.problems(yaml)).isEmpty();
        }));
    }

    /** The project's own examples (examples/**&#47;hone.yaml), with every variable they mention set. */
    @TestFactory
    Stream<DynamicTest> projectExamplesLoadAndMatchTheSchema() {
        if (!Files.isDirectory(PROJECT_EXAMPLES)) {
            return Stream.empty();
        }
        return files(PROJECT_EXAMPLES).filter(f -> f.getFileName().toString().equals("hone.yaml"))
                .map(file -> dynamicTest(file.toString(), () -> {
                    String yaml = read(file);
                    SpecLoader.parse(yaml, file.toString(), "example", placeholdersFor(yaml));
                    assertThat(schema.problems(yaml)).isEmpty();
                }));
    }

    @TestFactory
    Stream<DynamicTest> invalidExamplesFailWithTheirExpectedProblems() {
        return files(INVALID).map(file -> dynamicTest(file.getFileName().toString(), () -> {
            String yaml = read(file);
            List<String> expected = header(yaml, "# expect: ");
            List<String> verdict = header(yaml, "# schema: ");
            assertThat(expected).as("%s names the problems it expects", file).isNotEmpty();
            assertThat(verdict).as("%s says whether the schema rejects it", file).hasSize(1);

            InvalidSpecException e = catchThrowableOfType(InvalidSpecException.class,
                    () -> SpecLoader.parse(yaml, "hone.yaml", "example", Map.of()));
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

    private static Map<String, String> placeholdersFor(String yaml) {
        Matcher m = VARIABLE.matcher(yaml);
        return m.results().map(r -> r.group(1)).distinct()
                .collect(Collectors.toMap(Function.identity(), name -> "https://placeholder.example.com/" + name));
    }

    private static Stream<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
