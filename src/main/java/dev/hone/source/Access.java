package dev.hone.source;

import dev.hone.source.GitException.Kind;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.internal.JGitText;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * What one git operation on a remote needs — the SSH client with the repository's key and known_hosts, HTTP
 * connections through the proxy with the repository's CA, the credentials — and the reading of its failure into a
 * {@link GitException} that says what to do. Secrets go to JGit only; messages mask them.
 */
final class Access implements TransportConfigCallback, AutoCloseable {

    private final Remote remote;
    private final Path home;
    private final SshSessions ssh;
    private final HttpConnections http;

    private Access(Remote remote, Path home, SshSessions ssh, HttpConnections http) {
        this.remote = remote;
        this.home = home;
        this.ssh = ssh;
        this.http = http;
    }

    /**
     * @param home the server user's home ({@code ~/.ssh})
     * @throws GitException when the repository's key or CA file cannot be used
     */
    static Access open(Remote remote, Path home, Proxies proxies, String what) {
        String url = remote.url();
        try {
            SshSessions ssh = GitUrls.ssh(url)
                    ? SshSessions.open(remote.auth() instanceof GitAuth.SshKey key ? key : null, home) : null;
            HttpConnections http = GitUrls.http(url) ? HttpConnections.of(proxies, remote.caCert()) : null;
            return new Access(remote, home, ssh, http);
        } catch (SshSessions.KeyProblem e) {
            throw new GitException(Kind.KEY_UNUSABLE, "cannot " + what + " " + remote.shown() + ": "
                    + e.getMessage(), e);
        } catch (HttpConnections.CaProblem e) {
            throw new GitException(Kind.CERTIFICATE_UNTRUSTED, "cannot " + what + " " + remote.shown() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void configure(Transport transport) {
        if (transport instanceof SshTransport sshTransport && ssh != null) {
            sshTransport.setSshSessionFactory(ssh.factory());
        }
        if (transport instanceof TransportHttp httpTransport && http != null) {
            httpTransport.setHttpConnectionFactory(http);
        }
    }

    /** The HTTP credentials, or null. */
    CredentialsProvider credentials() {
        return remote.auth() instanceof GitAuth.Password p && GitUrls.http(remote.url())
                ? new UsernamePasswordCredentialsProvider(p.username(), p.password() == null ? "" : p.password())
                : null;
    }

    @Override
    public void close() {
        if (ssh != null) {
            ssh.close();
        }
    }

    /** The failure of {@code what} ("fetch", "list the branches of") as a message that says what to do. */
    GitException failure(String what, Exception e) {
        String repo = remote.shown();
        String host = host();
        String reason = reason(e);
        KnownHosts.Refusal refused = ssh == null ? null : ssh.knownHosts().refused();
        if (refused != null) {
            return new GitException(refused.changed() ? Kind.HOST_KEY_CHANGED : Kind.HOST_KEY_UNKNOWN,
                    hostKeyMessage(refused), e);
        }
        if (has(e, UnknownHostException.class) || has(e, UnresolvedAddressException.class)) {
            return new GitException(Kind.UNREACHABLE, "cannot reach " + host + " for " + repo + ": the name "
                    + GitUrls.host(remote.url()).orElse(host) + " does not resolve (DNS)", e);
        }
        if (has(e, NoRouteToHostException.class)) {
            return new GitException(Kind.UNREACHABLE, "cannot reach " + host + " for " + repo + ": no route to the "
                    + "host — is the network between Hone and the server up?", e);
        }
        if (has(e, ConnectException.class)) {
            return new GitException(Kind.UNREACHABLE, "cannot reach " + host + " for " + repo + ": the connection "
                    + "was refused — is the server up, and is the port right?", e);
        }
        if (has(e, InterruptedIOException.class) || reason.contains("timed out") || reason.contains("time out")) {
            return new GitException(Kind.UNREACHABLE, "cannot reach " + host + " for " + repo + ": no answer in time ("
                    + reason + ")", e);
        }
        if (has(e, SSLException.class) || has(e, CertificateException.class)
                || has(e, CertPathValidatorException.class)) {
            String ssl = reason(find(e, SSLException.class, CertificateException.class,
                    CertPathValidatorException.class));
            return new GitException(Kind.CERTIFICATE_UNTRUSTED, remote.caCert() == null
                    ? "the certificate of " + host + " is not trusted for " + repo + " (" + ssl + "): if a private CA "
                            + "signed it, set ca_cert to that CA's certificate (PEM) for this repository"
                    : "the certificate of " + host + " is not trusted for " + repo + " (" + ssl + "): is it signed by "
                            + "the CA in ca_cert " + remote.caCert() + " and issued for " + host + "?", e);
        }
        if (keyRefused(e)) {
            return new GitException(Kind.KEY_REFUSED, ssh != null && ssh.keyFingerprint() != null
                    ? "the server refused the deploy key for " + repo + ": is its public key (" + ssh.keyFingerprint()
                            + ") added to the repository as a deploy key?"
                    : "the server refused the SSH keys in " + home.resolve(".ssh") + " (the user hone serve runs as) "
                            + "for " + repo + ": add one's public key to the repository as a deploy key, or give "
                            + "the repository its own key (credentials.ssh_key, or hone repo add --ssh-key-file)", e);
        }
        if (reason.contains(JGitText.get().notAuthorized) || reason.contains(JGitText.get().noCredentialsProvider)
                || reason.contains(JGitText.get().authenticationNotSupported)) {
            return new GitException(Kind.CREDENTIALS_REFUSED, remote.auth() instanceof GitAuth.Password p
                    ? host + " refused the credentials for " + repo + " (user \"" + p.username() + "\" and its "
                            + "password or token, HTTP 401): the token may be wrong, expired or revoked — make one "
                            + "that can read the repository's contents and give it to Hone"
                    : host + " asks for credentials for " + repo + " (HTTP 401): give credentials {username, password} "
                            + "with an access token that can read the repository's contents", e);
        }
        if (reason.contains(" not permitted on ")) {
            String who = remote.auth() instanceof GitAuth.Password p ? "user \"" + p.username() + "\"" : "anonymous";
            return new GitException(Kind.NO_READ_ACCESS, host + " does not let " + who + " read " + repo
                    + " (HTTP 403): the token needs read access to the repository's contents (GitHub: Contents: "
                    + "read; GitLab: read_repository; Gitea: read access to the repository)", e);
        }
        if (has(e, NoRemoteRepositoryException.class) || reason.contains("not found")
                || reason.contains("does not appear to be a git repository")) {
            if (GitUrls.host(remote.url()).isEmpty()) {
                return new GitException(Kind.NOT_FOUND, "cannot " + what + " " + repo
                        + ": it does not exist or is not a git repository", e);
            }
            return new GitException(Kind.NOT_FOUND, repo + " was not found on " + host + ": if the URL is right, "
                    + (ssh != null ? "the key" : "the credentials") + " cannot see it — hosting sites answer \"not "
                    + "found\" for a private repository one has no access to; give "
                    + (ssh != null ? "the deploy key" : "the token") + " read access to this repository", e);
        }
        return new GitException(Kind.OTHER, "cannot " + what + " " + repo + ": " + reason, e);
    }

    private String hostKeyMessage(KnownHosts.Refusal refused) {
        HostKey offered = refused.offered();
        Path file = ssh.knownHosts().file();
        String trust = "hone repo trust " + offered.address() + (ssh.defaultKnownHosts() ? "" : " --known-hosts " + file);
        if (refused.changed()) {
            return "the host key of " + offered.address() + " has changed: the server offered " + offered.type() + " "
                    + offered.fingerprint() + ", but " + file + " holds another key for it — the connection may be "
                    + "intercepted, or the server's key was replaced; if its administrator confirms the new key, "
                    + "remove the old line from " + file + " and run: " + trust;
        }
        return "the host key of " + offered.address() + " is not known: the server offered " + offered.type() + " "
                + offered.fingerprint() + ", which is not in " + file + "; if that is the server's key (compare it "
                + "with the fingerprint its administrator or hosting site publishes), trust it with: " + trust;
    }

    /** {@code host} or {@code host:port} of the remote. */
    private String host() {
        String host = GitUrls.host(remote.url()).orElse(remote.shown());
        int port = GitUrls.port(remote.url());
        return port > 0 ? host + ":" + port : host;
    }

    private String reason(Throwable e) {
        String reason = e == null ? "" : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (remote.auth() instanceof GitAuth.Password p && p.password() != null && !p.password().isEmpty()) {
            reason = reason.replace(p.password(), "***");
        }
        return GitUrls.maskAll(reason);
    }

    private static boolean keyRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SshException s
                    && s.getDisconnectCode() == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        return find(e, type) != null;
    }

    @SafeVarargs
    private static Throwable find(Throwable e, Class<? extends Throwable>... types) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return t;
                }
            }
        }
        return null;
    }
}
