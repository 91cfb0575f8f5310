package dev.hone.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The loader and {@code schema/hone.schema.json} describe the same file. The DESIGN §2 example sets every key;
 * breaking it anywhere (an unknown key in any mapping, a value of the wrong shape at any place) must be caught by
 * both. JSON is YAML, so the broken documents go to the loader as JSON text.
 */
class SchemaAgreementTest {

    /** Mappings whose keys the user names: their entries are not keys of the file format. */
    private static final Set<String> USER_NAMED = Set.of("train.env", "tune.params");
    private static final Map<String, String> ENV = Map.of(
            "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/x", "HOOK_SECRET", "s3cret");

    private final HoneSchema schema = new HoneSchema();
    private final JsonNode designExample;

    SchemaAgreementTest() throws IOException {
        designExample = HoneSchema.toJson(
                Files.readString(Path.of("src/test/resources/spec/valid/design-example.yaml")));
    }

    @Test
    void schemaHasExactlyTheKeysOfTheDesignExample() {
        Set<String> schemaKeys = new TreeSet<>();
        schemaKeys(HoneSchema.tree(), "", schemaKeys);
        Set<String> exampleKeys = new TreeSet<>();
        exampleKeys(designExample, "", exampleKeys);

        assertThat(schemaKeys).isEqualTo(exampleKeys);
    }

    @Test
    void everyKeyOfTheSchemaHasADescriptionForEditors() {
        List<String> undescribed = new ArrayList<>();
        undescribed(HoneSchema.tree(), "", undescribed);

        assertThat(undescribed).isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> bothRejectAnUnknownKeyInEveryMapping() {
        List<JsonPointer> mappings = new ArrayList<>();
        mappings.add(JsonPointer.empty());
        pointers(designExample, JsonPointer.empty(), mappings);
        return mappings.stream()
                .filter(p -> designExample.at(p).isObject() && !USER_NAMED.contains(dotted(p)))
                .map(p -> dynamicTest(p.toString().isEmpty() ? "/" : p.toString(), () -> {
                    ObjectNode broken = designExample.deepCopy();
                    ((ObjectNode) broken.at(p)).put("bogus_key", 1);

                    assertThat(loaderProblems(broken)).anyMatch(m -> m.contains("unknown key \"bogus_key\""));
                    assertThat(schema.validate(broken)).isNotEmpty();
                }));
    }

    @TestFactory
    Stream<DynamicTest> bothRejectAValueOfTheWrongShapeAnywhere() {
        List<JsonPointer> places = new ArrayList<>();
        pointers(designExample, JsonPointer.empty(), places);
        return places.stream().map(p -> dynamicTest(p.toString(), () -> {
            JsonNode broken = designExample.deepCopy();
            ArrayNode wrong = JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.arrayNode());
            JsonNode parent = broken.at(p.head());
            if (parent instanceof ObjectNode object) {
                object.set(p.last().getMatchingProperty(), wrong);
            } else {
                ((ArrayNode) parent).set(p.last().getMatchingIndex(), wrong);
            }

            assertThat(loaderProblems(broken)).isNotEmpty();
            assertThat(schema.validate(broken)).isNotEmpty();
        }));
    }

    private static List<String> loaderProblems(JsonNode document) {
        InvalidSpecException e = catchThrowableOfType(InvalidSpecException.class,
                () -> SpecLoader.parse(document.toString(), "hone.yaml", "x", ENV));
        return e == null ? List.of() : e.problemLines();
    }

    private static void schemaKeys(JsonNode schema, String path, Set<String> keys) {
        schema.path("properties").properties().forEach(e -> {
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            keys.add(key);
            schemaKeys(e.getValue(), key, keys);
        });
    }

    private static void exampleKeys(JsonNode node, String path, Set<String> keys) {
        if (!node.isObject() || USER_NAMED.contains(path)) {
            return;
        }
        node.properties().forEach(e -> {
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            keys.add(key);
            exampleKeys(e.getValue(), key, keys);
        });
    }

    private static void undescribed(JsonNode schema, String path, List<String> missing) {
        schema.path("properties").properties().forEach(e -> {
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (!e.getValue().hasNonNull("description")) {
                missing.add(key);
            }
            undescribed(e.getValue(), key, missing);
        });
    }

    /** Every place below {@code node}: object entries and list items, depth first. */
    private static void pointers(JsonNode node, JsonPointer at, List<JsonPointer> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                JsonPointer child = at.appendProperty(e.getKey());
                out.add(child);
                pointers(e.getValue(), child, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonPointer child = at.appendIndex(i);
                out.add(child);
                pointers(node.get(i), child, out);
            }
        }
    }

    private static String dotted(JsonPointer p) {
        return p.toString().substring(Math.min(1, p.toString().length())).replace('/', '.');
    }
}
