package dev.hone.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** {@code hone.yaml}: the examples under {@code src/test/resources/spec}, and the project's own examples. */
class ExampleFilesTest extends ExampleFilesContract {

    private static final Path PROJECT_EXAMPLES = Path.of("examples");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
    private static final Map<String, String> ENV = Map.of(
            "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/x",
            "HOOK_SECRET", "s3cret");

    ExampleFilesTest() {
        super(Path.of("src/test/resources/spec"), HoneSchema.HONE_YAML);
    }

    @Override
    void load(String yaml, String fileName, Map<String, String> env) {
        SpecLoader.parse(yaml, fileName, "example", env);
    }

    @Override
    String fileName() {
        return "hone.yaml";
    }

    @Override
    Map<String, String> env() {
        return ENV;
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

    private static Map<String, String> placeholdersFor(String yaml) {
        Matcher m = VARIABLE.matcher(yaml);
        return m.results().map(r -> r.group(1)).distinct()
                .collect(Collectors.toMap(Function.identity(), name -> "https://placeholder.example.com/" + name));
    }
}
