package dev.hone.source;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * One known_hosts file as JGit's SSH client consults it: a server is accepted only when the file has its key
 * (hashed host names, {@code [host]:port} and {@code @revoked} are understood); an unknown or changed key is refused,
 * never added, and the refusal is kept so the failure can say which key was offered ({@link #refused()}).
 */
final class KnownHosts implements ServerKeyDatabase {

    /** A key that was refused: offered by {@code host}; {@code changed}: the file has other keys for it. */
    record Refusal(HostKey offered, boolean changed) {}

    private static final String REVOKED = "@revoked";

    private final Path file;
    private volatile Refusal refused;

    KnownHosts(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The last refusal, or null when no key was refused. */
    Refusal refused() {
        return refused;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        return keys(HostPort.parse(connectAddress));
    }

    @Override
    public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                          Configuration config, CredentialsProvider provider) {
        HostPort at = HostPort.parse(connectAddress);
        List<PublicKey> known = keys(at);
        if (known.stream().anyMatch(k -> KeyUtils.compareKeys(k, serverKey)) && !revoked(at, serverKey)) {
            return true;
        }
        refused = new Refusal(hostKey(at.host(), at.port(), serverKey), !known.isEmpty());
        return false;
    }

    /** The key as {@code hone repo trust} shows and records it. */
    static HostKey hostKey(String host, int port, PublicKey key) {
        String pattern = KnownHostHashValue.createHostPattern(host, port);
        return new HostKey(host, port, KeyUtils.getKeyType(key), KeyUtils.getFingerPrint(BuiltinDigests.sha256, key),
                pattern + " " + PublicKeyEntry.toString(key));
    }

    /** True when the file holds this key for the key's host and port. */
    boolean has(HostKey key) {
        return keys(new HostPort(key.host(), key.port())).stream()
                .anyMatch(k -> KeyUtils.getFingerPrint(BuiltinDigests.sha256, k).equals(key.fingerprint()));
    }

    /** Appends the key's line, creating the file (readable by its owner only) and its directory when missing. */
    void add(HostKey key) throws IOException {
        if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
            Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        String text = Files.readString(file);
        String line = (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + key.line() + "\n";
        Files.writeString(file, line, StandardOpenOption.APPEND);
    }

    private List<PublicKey> keys(HostPort at) {
        List<PublicKey> keys = new ArrayList<>();
        for (KnownHostEntry entry : entries()) {
            if (entry.getMarker() == null && entry.isHostMatch(at.host(), at.port())) {
                PublicKey key = resolve(entry);
                if (key != null) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    private boolean revoked(HostPort at, PublicKey key) {
        return entries().stream().anyMatch(e -> REVOKED.equals(e.getMarker()) && e.isHostMatch(at.host(), at.port())
                && KeyUtils.compareKeys(resolve(e), key));
    }

    private List<KnownHostEntry> entries() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return KnownHostEntry.readKnownHostEntries(file);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static PublicKey resolve(KnownHostEntry entry) {
        try {
            return entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** {@code host} or {@code [host]:port}, as JGit names the address it connected to. */
    record HostPort(String host, int port) {
        static HostPort parse(String address) {
            if (address.startsWith("[")) {
                int close = address.indexOf(']');
                int port = address.startsWith("]:", close) ? Integer.parseInt(address.substring(close + 2)) : 22;
                return new HostPort(address.substring(1, close), port);
            }
            return new HostPort(address, 22);
        }
    }
}
