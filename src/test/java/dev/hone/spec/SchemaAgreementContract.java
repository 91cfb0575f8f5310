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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A loader and its JSON Schema describe the same file. An example that sets every key is broken everywhere (an
 * unknown key in any mapping, a value of the wrong shape at any place); both must catch each break. JSON is YAML,
 * so the broken documents go to the loader as JSON text. Each file format runs this contract.
 */
abstract class SchemaAgreementContract {

    private final HoneSchema schema;
    private final JsonNode designExample;

    /** {@code example} sets every key the file format has. */
    SchemaAgreementContract(Path schemaFile, Path example) throws IOException {
        schema = new HoneSchema(schemaFile);
        designExample = HoneSchema.toJson(Files.readString(example));
    }

    /** Mappings whose keys the user names (dotted, list indexes left out): their entries are not format keys. */
    abstract Set<String> userNamed();

    /** Loads {@code text}, throwing {@link InvalidSpecException} for its problems. */
    abstract void load(String text);

    @Test
    void schemaHasExactlyTheKeysOfTheDesignExample() {
        Set<String> schemaKeys = new TreeSet<>();
        schemaKeys(schema.tree(), "", schemaKeys);
        Set<String> exampleKeys = new TreeSet<>();
        exampleKeys(designExample, "", exampleKeys);

        assertThat(schemaKeys).isEqualTo(exampleKeys);
    }

    @Test
    void everyKeyOfTheSchemaHasADescriptionForEditors() {
        List<String> undescribed = new ArrayList<>();
        undescribed(schema.tree(), "", undescribed);

        assertThat(undescribed).isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> bothRejectAnUnknownKeyInEveryMapping() {
        List<JsonPointer> mappings = new ArrayList<>();
        mappings.add(JsonPointer.empty());
        pointers(designExample, JsonPointer.empty(), mappings);
        return mappings.stream()
                .filter(p -> designExample.at(p).isObject() && !userNamed().contains(dotted(p)))
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

    private List<String> loaderProblems(JsonNode document) {
        InvalidSpecException e = catchThrowableOfType(InvalidSpecException.class, () -> load(document.toString()));
        return e == null ? List.of() : e.problemLines();
    }

    /** The keys below {@code schema}, dotted; a list's items count as the list's own keys. */
    private static void schemaKeys(JsonNode schema, String path, Set<String> keys) {
        if (schema.has("items")) {
            schemaKeys(schema.get("items"), path, keys);
        }
        schema.path("properties").properties().forEach(e -> {
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            keys.add(key);
            schemaKeys(e.getValue(), key, keys);
        });
    }

    private void exampleKeys(JsonNode node, String path, Set<String> keys) {
        if (node.isArray()) {
            node.forEach(item -> exampleKeys(item, path, keys));
        }
        if (!node.isObject() || userNamed().contains(path)) {
            return;
        }
        node.properties().forEach(e -> {
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            keys.add(key);
            exampleKeys(e.getValue(), key, keys);
        });
    }

    private static void undescribed(JsonNode schema, String path, List<String> missing) {
        if (schema.has("items")) {
            undescribed(schema.get("items"), path, missing);
        }
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

    /** {@code /repositories/0/url} is {@code repositories.url}. */
    private static String dotted(JsonPointer p) {
        return p.toString().substring(Math.min(1, p.toString().length())).replaceAll("/[0-9]+(?=/|$)", "")
                .replace('/', '.');
    }
}
