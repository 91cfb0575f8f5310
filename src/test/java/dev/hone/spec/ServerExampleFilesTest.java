package dev.hone.spec;

import java.nio.file.Path;
import java.util.Map;

/** {@code hone-server.yaml}: the examples under {@code src/test/resources/spec-server}. */
class ServerExampleFilesTest extends ExampleFilesContract {

    ServerExampleFilesTest() {
        super(Path.of("src/test/resources/spec-server"), HoneSchema.HONE_SERVER_YAML);
    }

    @Override
    void load(String yaml, String fileName, Map<String, String> env) {
        ServerSpecLoader.parse(yaml, fileName, env);
    }

    @Override
    String fileName() {
        return "hone-server.yaml";
    }

    @Override
    Map<String, String> env() {
        return ServerSpecLoaderTest.ENV;
    }
}
