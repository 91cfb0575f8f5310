package dev.hone.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.security.auth.login.FailedLoginException;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.internal.transport.ssh.OpenSshConfigFile;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.SshConstants;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * JGit's SSH client (Apache MINA sshd) set up for one repository: public-key authentication only, with the
 * repository's own key or else the keys in the server user's {@code ~/.ssh}; the server's host key checked against
 * one known_hosts file (the repository's, else {@code ~/.ssh/known_hosts}) and never added to it. With its own key,
 * {@code ~/.ssh/config} still gives host names, ports and users, but no identities and no host-key settings.
 */
final class SshSessions implements AutoCloseable {

    /** ~/.ssh/config options that would offer other keys or trust other host keys: ignored for a repository key. */
    private static final Set<String> KEY_OPTIONS = Set.of(SshConstants.IDENTITY_FILE, SshConstants.IDENTITIES_ONLY,
            SshConstants.IDENTITY_AGENT, SshConstants.USER_KNOWN_HOSTS_FILE, SshConstants.GLOBAL_KNOWN_HOSTS_FILE,
            SshConstants.STRICT_HOST_KEY_CHECKING, SshConstants.ADD_KEYS_TO_AGENT)
            .stream().map(k -> k.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());

    private final SshdSessionFactory factory;
    private final KnownHosts knownHosts;
    private final List<KeyPair> keys;
    private final boolean defaultKnownHosts;

    private SshSessions(SshdSessionFactory factory, KnownHosts knownHosts, List<KeyPair> keys,
                        boolean defaultKnownHosts) {
        this.factory = factory;
        this.knownHosts = knownHosts;
        this.keys = keys;
        this.defaultKnownHosts = defaultKnownHosts;
    }

    /**
     * @param auth the repository's key and known_hosts; null: the server user's
     * @param home the server user's home directory
     * @throws KeyProblem when the repository's key cannot be read or decrypted
     */
    static SshSessions open(GitAuth.SshKey auth, Path home) throws KeyProblem {
        Path sshDir = home.resolve(".ssh");
        Path knownHostsFile = auth != null && auth.knownHosts() != null ? auth.knownHosts()
                : sshDir.resolve("known_hosts");
        KnownHosts knownHosts = new KnownHosts(knownHostsFile);
        List<KeyPair> keys = auth != null && auth.ownKey() ? load(auth) : List.of();
        SshdSessionFactoryBuilder builder = new SshdSessionFactoryBuilder()
                .setHomeDirectory(home.toFile())
                .setSshDirectory(sshDir.toFile())
                .setPreferredAuthentications("publickey")
                .setConnectorFactory(null)
                .setServerKeyDatabase((homeDir, dir) -> knownHosts);
        if (!keys.isEmpty()) {
            builder.setDefaultKeysProvider(dir -> keys)
                    .setConfigStoreFactory((homeDir, configFile, user) -> configFile == null ? null
                            : withoutKeyOptions(new OpenSshConfigFile(homeDir, configFile, user)));
        }
        return new SshSessions(builder.build(null), knownHosts, keys,
                auth == null || auth.knownHosts() == null);
    }

    SshdSessionFactory factory() {
        return factory;
    }

    KnownHosts knownHosts() {
        return knownHosts;
    }

    /** True when the host keys come from the server user's {@code ~/.ssh/known_hosts}. */
    boolean defaultKnownHosts() {
        return defaultKnownHosts;
    }

    /** The type and SHA-256 fingerprint of the repository's own key ({@code ED25519 SHA256:…}); null: none. */
    String keyFingerprint() {
        return keys.isEmpty() ? null : keys.stream().map(k -> KeyUtils.getKeyType(k) + " "
                + KeyUtils.getFingerPrint(BuiltinDigests.sha256, k.getPublic())).distinct()
                .collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        factory.close();
    }

    /** The repository's key cannot be used; the message says why, without the key. */
    static final class KeyProblem extends Exception {
        KeyProblem(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static List<KeyPair> load(GitAuth.SshKey auth) throws KeyProblem {
        String source = auth.keyFile() != null ? "the key file " + auth.keyFile() : "the key";
        byte[] text;
        try {
            text = auth.key() != null ? auth.key().getBytes(StandardCharsets.UTF_8) : Files.readAllBytes(auth.keyFile());
        } catch (IOException e) {
            throw new KeyProblem(source + " cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "): give a private key file the user hone serve runs as can read", e);
        }
        FilePasswordProvider passphrase = auth.passphrase() == null ? null : FilePasswordProvider.of(auth.passphrase());
        try {
            List<KeyPair> keys = new ArrayList<>();
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("ssh_key"),
                    new ByteArrayInputStream(text), passphrase);
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
            if (keys.isEmpty()) {
                throw new KeyProblem(source + " holds no private key: give the private half (the file without .pub, "
                        + "starting with -----BEGIN OPENSSH PRIVATE KEY-----)", null);
            }
            return List.copyOf(keys);
        } catch (FailedLoginException e) {
            throw new KeyProblem(source + " is encrypted: set its passphrase (credentials.passphrase, or hone repo add "
                    + "--passphrase-env VAR)", e);
        } catch (StreamCorruptedException e) {
            throw new KeyProblem(auth.passphrase() != null ? "the passphrase does not decrypt " + source
                    : source + " is not a private key OpenSSH can read", e);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new KeyProblem(source + " is not a private key OpenSSH can read ("
                    + e.getClass().getSimpleName() + "): give the private half of the deploy key, as "
                    + "ssh-keygen -t ed25519 writes it", e);
        }
    }

    /** ~/.ssh/config as it applies to a repository with its own key: without options about keys and host keys. */
    private static SshConfigStore withoutKeyOptions(SshConfigStore config) {
        return new SshConfigStore() {
            @Override
            public HostConfig lookup(String hostName, int port, String userName) {
                return filtered(config.lookup(hostName, port, userName));
            }

            @Override
            public HostConfig lookupDefault(String hostName, int port, String userName) {
                return filtered(config.lookupDefault(hostName, port, userName));
            }
        };
    }

    private static SshConfigStore.HostConfig filtered(SshConfigStore.HostConfig host) {
        return new SshConfigStore.HostConfig() {
            @Override
            public String getValue(String key) {
                return dropped(key) ? null : host.getValue(key);
            }

            @Override
            public List<String> getValues(String key) {
                return dropped(key) ? List.of() : host.getValues(key);
            }

            @Override
            public Map<String, String> getOptions() {
                Map<String, String> kept = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                host.getOptions().forEach((k, v) -> {
                    if (!dropped(k)) {
                        kept.put(k, v);
                    }
                });
                return kept;
            }

            @Override
            public Map<String, List<String>> getMultiValuedOptions() {
                Map<String, List<String>> kept = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                host.getMultiValuedOptions().forEach((k, v) -> {
                    if (!dropped(k)) {
                        kept.put(k, v);
                    }
                });
                return kept;
            }
        };
    }

    private static boolean dropped(String key) {
        return key != null && KEY_OPTIONS.contains(key.toLowerCase(Locale.ROOT));
    }
}
