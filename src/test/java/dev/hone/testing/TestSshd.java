package dev.hone.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code sshd} (Debian's openssh-server) on a free loopback port, started with its own generated
 * host key and a test-only AuthorizedKeysFile: {@code sshd -D -e -f config}. Clients log in as the user the tests
 * run as (root in CI), and git runs {@code git-upload-pack} there as it does on any git host. Outside CI a missing
 * sshd skips the test; with {@code CI=true} it fails it (.ci/sshd.sh installs it).
 */
public final class TestSshd implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    public final Path dir;
    public final int port;
    public final String user = System.getProperty("user.name");
    private final Path authorizedKeys;
    private final Process process;

    private TestSshd(Path dir, int port, Path authorizedKeys, Process process) {
        this.dir = dir;
        this.port = port;
        this.authorizedKeys = authorizedKeys;
        this.process = process;
    }

    /** Starts sshd with its files in {@code dir} (created); no key is authorized yet. */
    public static TestSshd start(Path dir) throws Exception {
        Parts.require(Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen")),
                "OpenSSH's sshd and ssh-keygen (apt-get install openssh-server; .ci/sshd.sh)");
        Files.createDirectories(dir);
        Path hostKey = dir.resolve("host_ed25519");
        keygen(hostKey, "", "ed25519");
        Path authorizedKeys = Files.writeString(dir.resolve("authorized_keys"), "");
        if ("root".equals(System.getProperty("user.name"))) {
            Files.createDirectories(Path.of("/run/sshd"));  // sshd's privilege separation directory
        }
        int port = Ports.free();
        Path config = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorizedKeys,
                "AllowUsers " + System.getProperty("user.name"),
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "AcceptEnv GIT_PROTOCOL",  // git protocol v2 over ssh, as git hosts accept it
                "LogLevel VERBOSE",
                ""));
        Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        TestSshd sshd = new TestSshd(dir, port, authorizedKeys, process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!sshd.listening()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                sshd.close();
                throw new AssertionError("sshd did not start listening on 127.0.0.1:" + port + ":\n" + sshd.log());
            }
            Thread.sleep(20);
        }
        return sshd;
    }

    /** Authorizes the public half of {@code privateKey} ({@code privateKey + ".pub"}). */
    public void authorize(Path privateKey) throws IOException {
        Files.writeString(authorizedKeys, Files.readString(Path.of(privateKey + ".pub")), StandardOpenOption.APPEND);
    }

    /** {@code ssh://user@127.0.0.1:port/abs/path} of a repository on this machine. */
    public String url(Path repository) {
        return "ssh://" + user + "@127.0.0.1:" + port + repository.toAbsolutePath();
    }

    /** The known_hosts line that vouches for this server. */
    public String knownHostsLine() throws IOException {
        String[] pub = Files.readString(dir.resolve("host_ed25519.pub")).strip().split("\\s+");
        return "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1] + "\n";
    }

    /** The host key's fingerprint as {@code ssh-keygen -l} prints it: {@code SHA256:…}. */
    public String fingerprint() throws Exception {
        return fingerprint(dir.resolve("host_ed25519.pub"));
    }

    /** The SHA-256 fingerprint {@code ssh-keygen -l} gives the public key file {@code pub}. */
    public static String fingerprint(Path pub) throws Exception {
        return run("ssh-keygen", "-l", "-E", "sha256", "-f", pub.toString()).split("\\s+")[1];
    }

    /** Makes a key pair at {@code file} and {@code file.pub} with {@code ssh-keygen}. */
    public static Path keygen(Path file, String passphrase, String type) throws Exception {
        run("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "hone-test", "-f", file.toString());
        return file;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String run(String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }
}
