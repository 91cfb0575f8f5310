package dev.hone.source;

import dev.hone.error.HoneException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Git as the server's user speaks it: the home directory whose {@code ~/.ssh} holds the user's keys, config and
 * known_hosts, and the HTTP proxy of the environment ({@link Proxies}). It makes the {@link Mirror}s of remote
 * repositories, and reads and records SSH host keys for {@code hone repo trust}.
 */
public final class GitClient {

    private static final Pattern ADDRESS = Pattern.compile("^(?:\\[([^\\]]+)]|([^:\\[\\]]+))(?::(\\d{1,5}))?$");
    private static final int SCAN_TIMEOUT_SECONDS = 30;

    private final Path home;
    private final Proxies proxies;

    /**
     * @param env the server's environment: HOME (else the JVM's user.home), and the proxy variables
     * @throws HoneException when a proxy variable is not a URL
     */
    public GitClient(Map<String, String> env) {
        String home = env.get("HOME");
        this.home = Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home);
        try {
            this.proxies = Proxies.of(env);
        } catch (IllegalArgumentException e) {
            throw new HoneException(e.getMessage() + " (or unset it)");
        }
    }

    /** The bare cache of {@code remote} in {@code dir} (created on first use). */
    public Mirror mirror(Remote remote, Path dir) {
        return new Mirror(this, remote, dir);
    }

    /** The server user's known_hosts: {@code ~/.ssh/known_hosts}. */
    public Path knownHosts() {
        return home.resolve(".ssh").resolve("known_hosts");
    }

    /**
     * The host key the SSH server at {@code address} ({@code host}, {@code host:port} or {@code [v6]:port}) offers;
     * nothing is authenticated and nothing is recorded.
     *
     * @throws GitException when the server cannot be reached
     * @throws HoneException when the address is not a host with an optional port
     */
    public HostKey hostKey(String address) {
        Matcher m = ADDRESS.matcher(address.strip());
        if (!m.matches() || (m.group(3) != null && Integer.parseInt(m.group(3)) > 65535)) {
            throw new HoneException("HOST must be a host name or address with an optional port (github.com, "
                    + "gitlab.example.com:2222, [::1]:2222), got \"" + address + "\"");
        }
        String host = m.group(1) != null ? m.group(1) : m.group(2);
        int port = m.group(3) == null ? 22 : Integer.parseInt(m.group(3));
        String url = "ssh://hone@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
        KnownHosts none = new KnownHosts(Path.of("/dev/null"));
        SshdSessionFactory factory = new SshdSessionFactoryBuilder().setHomeDirectory(home.toFile())
                .setSshDirectory(home.resolve(".ssh").toFile()).setPreferredAuthentications("publickey")
                .setConnectorFactory(null).setConfigStoreFactory((h, f, u) -> null)
                .setServerKeyDatabase((h, s) -> none).build(null);
        try (factory) {
            Git.lsRemoteRepository().setRemote(url).setTimeout(SCAN_TIMEOUT_SECONDS)
                    .setTransportConfigCallback(t -> ((SshTransport) t).setSshSessionFactory(factory)).call();
        } catch (GitAPIException | RuntimeException e) {
            if (none.refused() != null) {
                return none.refused().offered();
            }
            try (Access access = Access.open(Remote.of(url), home, proxies, "read the host key of")) {
                throw access.failure("read the host key of", e);
            }
        }
        throw new HoneException(address + " let Hone in without a host key check: it is not an SSH server Hone "
                + "can trust");
    }

    /** True when {@code knownHosts} already holds {@code key} for its host and port. */
    public boolean trusts(Path knownHosts, HostKey key) {
        return new KnownHosts(knownHosts).has(key);
    }

    /** Records {@code key} in {@code knownHosts} (created, readable by its owner only, when missing). */
    public void trust(Path knownHosts, HostKey key) {
        try {
            new KnownHosts(knownHosts).add(key);
        } catch (IOException e) {
            throw new HoneException("cannot record the host key in " + knownHosts + ": " + e.getMessage()
                    + " — run as the user hone serve runs as, or give --known-hosts FILE", e);
        }
    }

    /** What one operation on {@code remote} needs; {@code what} names the operation in its errors. */
    Access access(Remote remote, String what) {
        return Access.open(remote, home, proxies, what);
    }
}
