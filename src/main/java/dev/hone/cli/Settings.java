package dev.hone.cli;

import java.nio.file.Path;
import java.util.Map;

/** The installation settings a command needs from {@code --config FILE} (hone-server.yaml). */
record Settings(Path dataDir) {

    static Settings load(Path config, Map<String, String> env) {
        return new Settings(null);
    }
}
