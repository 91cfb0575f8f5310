package dev.hone.spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code hone-server.yaml}: the loader and {@code schema/hone-server.schema.json} agree on an example that extends
 * DESIGN §2b's with the keys it leaves out ({@code limits.runs_per_project}, {@code limits.log_size},
 * {@code queue.coalesce}, {@code notify.github.api_url}, {@code notify.webhook}, {@code trial_env}).
 */
class ServerSchemaAgreementTest extends SchemaAgreementContract {

    ServerSchemaAgreementTest() throws IOException {
        super(HoneSchema.HONE_SERVER_YAML, Path.of("src/test/resources/spec-server/valid/every-key.yaml"));
    }

    @Override
    Set<String> userNamed() {
        return Set.of();
    }

    @Override
    void load(String text) {
        // HONE_API_TOKEN would also set api_token over the file (a HONE_<PATH> variable), hiding what the file says
        Map<String, String> env = new HashMap<>(ServerSpecLoaderTest.ENV);
        env.put("THE_API_TOKEN", env.remove("HONE_API_TOKEN"));
        ServerSpecLoader.parse(text.replace("${HONE_API_TOKEN}", "${THE_API_TOKEN}"), "hone-server.yaml", env);
    }
}
