package dev.hone.spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** {@code hone.yaml}: the loader and {@code schema/hone.schema.json} agree on the DESIGN §2 example. */
class SchemaAgreementTest extends SchemaAgreementContract {

    private static final Map<String, String> ENV = Map.of(
            "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/x", "HOOK_SECRET", "s3cret");

    SchemaAgreementTest() throws IOException {
        super(HoneSchema.HONE_YAML, Path.of("src/test/resources/spec/valid/design-example.yaml"));
    }

    @Override
    Set<String> userNamed() {
        return Set.of("train.env", "tune.params", "environment.kubernetes.node_selector",
                "environment.kubernetes.labels");
    }

    @Override
    void load(String text) {
        SpecLoader.parse(text, "hone.yaml", "x", ENV);
    }
}
