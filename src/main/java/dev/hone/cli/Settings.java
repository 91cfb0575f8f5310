package dev.hone.cli;

import dev.hone.App;
import dev.hone.error.EnvironmentException;
import dev.hone.data.DataDir;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.ServerSpecLoader;
import dev.hone.store.Store;
import dev.hone.store.StoreException;
import dev.hone.store.Stores;
import java.nio.file.Path;

/**
 * What a command takes from the installation's settings ({@code --config FILE}, hone-server.yaml): the data
 * directory, the store and the notification channels. Without {@code --config} the embedded defaults apply, as the
 * {@code HONE_<PATH>} variables set them.
 * {@code --data} beats the file's {@code data_dir}. Every command that opens the store ({@code hone serve} too)
 * decides the data directory and SQLite or PostgreSQL here.
 */
record Settings(ServerSpec server, DataDir dataDir) {

    static Settings load(App app, Path config, Path dataFlag) {
        ServerSpec server = config == null ? ServerSpecLoader.defaults(app.env())
                : ServerSpecLoader.load(config, app.env());
        DataDir dataDir = dataFlag != null || server.dataDir() == null ? app.dataDir(dataFlag)
                : new DataDir(server.dataDir().toAbsolutePath().normalize());
        return new Settings(server, dataDir);
    }

    /** The store the settings name: SQLite in the data directory, or a PostgreSQL URL. */
    Store openStore(App app) {
        return ServerSpec.SQLITE.equals(server.store()) ? app.store(dataDir) : Stores.open(server.store());
    }

    /**
     * The same, for a command that cannot do without it: a store that cannot be opened is the machine's state (exit
     * 3), not the user's input.
     */
    Store openStoreOrExit(App app) {
        try {
            return openStore(app);
        } catch (StoreException e) {
            throw new EnvironmentException(e.getMessage(), e);
        }
    }
}
