package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.testing.Parts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hone serve} on what the user typed or the machine holds that it cannot start with: a message that says what,
 * where and what to do, and exit 2 (usage, settings) or 3 (the machine's state) — never "a bug in Hone".
 */
class ServeStartFailuresTest {

    @TempDir
    Path home;

    @Test
    void aPortInUseIsAUsageErrorThatNamesTheAddressAndTheFlag() throws IOException {
        Cli cli = new Cli(home);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThat(cli.run("serve", "--listen", "127.0.0.1:" + port)).isEqualTo(2);
            assertThat(cli.err()).isEqualTo("hone: 127.0.0.1:" + port + " is already in use (by another hone serve?); "
                    + "choose another with --listen\n");
        }
    }

    @Test
    void aHostTheMachineDoesNotKnowIsAUsageError() {
        Cli cli = new Cli(home);
        assertThat(cli.run("serve", "--listen", "nosuchhost.invalid:8080")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: nosuchhost.invalid:8080: this machine does not know the host "
                + "nosuchhost.invalid; give one of its IP addresses (127.0.0.1, or 0.0.0.0 for every interface) with "
                + "--listen\n");
    }

    @Test
    void anAddressNoInterfaceHasIsAUsageError() {
        Cli cli = new Cli(home);
        assertThat(cli.run("serve", "--listen", "192.0.2.1:8080")).isEqualTo(2); // TEST-NET-1: nobody's address
        assertThat(cli.err()).isEqualTo("hone: 192.0.2.1:8080: no network interface of this machine has the address "
                + "192.0.2.1; give one it has (127.0.0.1, or 0.0.0.0 for every interface) with --listen\n");
    }

    @Test
    void aDataDirectoryThatIsAFileIsAUsageError() throws IOException {
        Cli cli = new Cli(home);
        Path file = Files.writeString(home.resolve("data"), "not a directory");
        assertThat(cli.run("serve", "--listen", "127.0.0.1:0", "--data", file.toString())).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: the data directory " + file + " is a file; give another with --data "
                + "DIR (or data_dir: in hone-server.yaml)\n");

        Path inside = file.resolve("hone");
        assertThat(cli.run("serve", "--listen", "127.0.0.1:0", "--data", inside.toString())).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: the data directory " + inside + " cannot be made: " + file + " is a "
                + "file; give another with --data DIR (or data_dir: in hone-server.yaml)\n");
    }

    @Test
    void aDataDirectoryHoneMayNotWriteInIsTheMachinesState() throws Exception {
        Cli cli = new Cli(home);
        Path data = Files.createDirectories(home.resolve("data"));
        String reason = lockAgainstWriting(data);
        try {
            assertThat(cli.run("serve", "--listen", "127.0.0.1:0", "--data", data.toString())).isEqualTo(3);
            assertThat(cli.err()).isEqualTo("hone: cannot write in the data directory " + data + " (" + reason
                    + "): let the user Hone runs as (" + System.getProperty("user.name") + ") write in it, or give "
                    + "another with --data DIR (or data_dir: in hone-server.yaml)\n");
        } finally {
            unlock(data);
        }
    }

    @Test
    void aStoreThatIsNotASqliteDatabaseIsTheMachinesState() throws IOException {
        Cli cli = new Cli(home);
        Path data = Files.createDirectories(home.resolve("data"));
        Files.writeString(data.resolve("hone.db"), "x".repeat(4096));
        assertThat(cli.run("serve", "--listen", "127.0.0.1:0", "--data", data.toString())).isEqualTo(3);
        assertThat(cli.err()).isEqualTo("hone: cannot open store " + data.resolve("hone.db") + ": [SQLITE_NOTADB] "
                + "File opened that is not a database file (file is not a database); the file is not a SQLite "
                + "database Hone can read: move it aside (a new store is made in its place) or restore it from a "
                + "backup\n");
    }

    @Test
    void aStoreAnotherProcessHoldsLockedIsTheMachinesState() throws Exception {
        Cli cli = new Cli(home);
        Path data = home.resolve("data");
        assertThat(cli.run("runs", "--data", data.toString())).isZero(); // makes the store
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("hone.db"));
             Statement statement = other.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");
            assertThat(cli.run("serve", "--listen", "127.0.0.1:0", "--data", data.toString())).isEqualTo(3);
            assertThat(cli.err()).isEqualTo("hone: cannot open store " + data.resolve("hone.db") + ": [SQLITE_BUSY] "
                    + "The database file is locked (database is locked); another process holds it locked: stop that "
                    + "process and start again\n");
        }
    }

    @Test
    void aPostgresqlServerThatDoesNotAnswerIsTheMachinesState() throws IOException {
        Cli cli = new Cli(home);
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = free.getLocalPort();
        }
        Path config = Files.writeString(home.resolve("hone-server.yaml"),
                "store: jdbc:postgresql://127.0.0.1:" + closed + "/hone?user=hone&password=s3cret\n");
        assertThat(cli.run("serve", "--config", config.toString(), "--listen", "127.0.0.1:0")).isEqualTo(3);
        assertThat(cli.err()).isEqualTo("hone: cannot open store jdbc:postgresql://127.0.0.1:" + closed
                + "/hone?user=hone&password=***: Connection to 127.0.0.1:" + closed + " refused. Check that the "
                + "hostname and port are correct and that the postmaster is accepting TCP/IP connections; is "
                + "PostgreSQL running there, and reachable from this machine? check the host and port of store: in "
                + "hone-server.yaml\n");
    }

    /** Takes the right to write in {@code dir}: its mode, or, for root, whom modes do not stop, chattr +i. */
    private static String lockAgainstWriting(Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (!"root".equals(System.getProperty("user.name"))) {
            return "permission denied";
        }
        Parts.require(chattr("+i", dir), "chattr +i (root with CAP_LINUX_IMMUTABLE)");
        return "Operation not permitted";
    }

    private static void unlock(Path dir) throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            chattr("-i", dir);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean chattr(String flag, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("chattr", flag, dir.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
