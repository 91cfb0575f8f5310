package dev.hone.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLocationTest {

    @TempDir
    Path dir;

    @Test
    void aPathIsASqliteFile() {
        StoreLocation location = StoreLocation.parse(dir.resolve("hone.db").toString());

        assertThat(location.vendor()).isEqualTo(StoreLocation.Vendor.SQLITE);
        assertThat(location.file()).isEqualTo(dir.resolve("hone.db"));
        assertThat(location.jdbcUrl()).isEqualTo("jdbc:sqlite:" + dir.resolve("hone.db"));
    }

    @Test
    void aSqliteUrlIsASqliteFile() {
        StoreLocation location = StoreLocation.parse("jdbc:sqlite:" + dir.resolve("hone.db"));

        assertThat(location.vendor()).isEqualTo(StoreLocation.Vendor.SQLITE);
        assertThat(location.file()).isEqualTo(dir.resolve("hone.db"));
    }

    @Test
    void aPostgresqlUrlIsShownWithItsPasswordMasked() {
        StoreLocation location = StoreLocation.parse("jdbc:postgresql://db:5432/hone?user=hone&password=s3cret&ssl=true");

        assertThat(location.vendor()).isEqualTo(StoreLocation.Vendor.POSTGRESQL);
        assertThat(location.display()).isEqualTo("jdbc:postgresql://db:5432/hone?user=hone&password=***&ssl=true");
        assertThat(location.toString()).isEqualTo(location.display());
        assertThat(location.redact("FATAL: password s3cret rejected")).isEqualTo("FATAL: password *** rejected");
    }

    @Test
    void aPasswordInUserInfoIsMaskedToo() {
        StoreLocation location = StoreLocation.parse("jdbc:postgresql://hone:s3cret@db/hone");

        assertThat(location.display()).isEqualTo("jdbc:postgresql://hone:***@db/hone");
    }

    @Test
    void anotherDatabaseIsRefusedWithWhatToGive() {
        assertThatThrownBy(() -> Stores.open("jdbc:mysql://db/hone?password=s3cret"))
                .isInstanceOf(StoreException.class)
                .hasMessage("unsupported store jdbc:mysql://db/hone?password=***: "
                        + "give a SQLite file path or a jdbc:postgresql://host/db URL");
    }

    @Test
    void anUnreachableServerIsNamedWithoutItsPassword() {
        String url = "jdbc:postgresql://127.0.0.1:1/x?user=u&password=s3cret";

        assertThatThrownBy(() -> Stores.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot open store jdbc:postgresql://127.0.0.1:1/x?user=u&password=***: ")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aClosedStoreSaysSo() {
        Store store = Stores.open(dir.resolve("hone.db").toString());
        store.close();

        assertThatThrownBy(() -> store.runs(null, 1, 0))
                .isInstanceOf(StoreException.class)
                .hasMessage("cannot list runs in store " + dir.resolve("hone.db") + ": the store is closed");
    }

    @Test
    void aFileThatIsNotADatabaseIsNamed() throws Exception {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "this is not a database, just some text that is long enough ".repeat(40));

        assertThatThrownBy(() -> Stores.open(file.toString()))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot open store " + file + ": ");
    }
}
