package dev.hone.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** One of Hone's JSON Schemas in {@code schema/}, applied to YAML the way an editor applies it: YAML read as JSON. */
final class HoneSchema {

    static final Path HONE_YAML = Path.of("schema/hone.schema.json");
    static final Path HONE_SERVER_YAML = Path.of("schema/hone-server.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final JsonSchema schema;

    /** The schema of {@code hone.yaml}. */
    HoneSchema() {
        this(HONE_YAML);
    }

    HoneSchema(Path file) {
        this.file = file;
        try (InputStream in = Files.newInputStream(file)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema's complaints about a YAML document; empty when it validates. */
    List<String> problems(String yaml) {
        return validate(toJson(yaml));
    }

    List<String> validate(JsonNode document) {
        return schema.validate(document).stream().map(ValidationMessage::toString).sorted().toList();
    }

    static JsonNode toJson(String yaml) {
        // As an editor would: a key set twice is the YAML layer's complaint, not the schema's; the last one wins.
        LoadSettings settings = LoadSettings.builder().setSchema(new CoreSchema()).setAllowDuplicateKeys(true).build();
        Object value = new Load(settings).loadFromString(yaml);
        return value == null ? NullNode.getInstance() : JSON.valueToTree(value);
    }

    /** Reads the schema file itself as a tree. */
    JsonNode tree() {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
