package dev.hone.testing;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A real smart-HTTP git server over TLS on a loopback port, as a self-hosted GitLab or Gitea answers: JGit's
 * {@code GitServlet} under Jetty, its certificate from {@link TestTls} (a test CA no JVM trusts), HTTP Basic
 * authentication with access tokens that can be granted, limited to no read access (403), expired or revoked (401).
 * A repository's URL path is its absolute path on this machine: {@code https://127.0.0.1:PORT/srv/git/x.git}.
 */
public final class TestGitHttps implements AutoCloseable {

    /** What the server knows of a token: whose it is and whether it may read; an expired token is refused. */
    private record Grant(String user, boolean read, boolean expired) {}

    private final Server server = new Server();
    private final Map<String, Grant> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger uploads = new AtomicInteger();
    private int port;

    private TestGitHttps() {}

    /** Serves the repositories under {@code root}; no token is valid yet. */
    public static TestGitHttps start(Path root) throws Exception {
        TestGitHttps fixture = new TestGitHttps();
        Server server = fixture.server;
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(TestTls.get().server());
        ServerConnector https = new ServerConnector(server, ssl);
        https.setHost("127.0.0.1");
        https.setPort(0);
        server.addConnector(https);
        ServletContextHandler context = new ServletContextHandler();
        GitServlet git = new GitServlet();
        git.setRepositoryResolver((request, name) -> {
            Path dir = Path.of("/").resolve(name).normalize();
            if (!dir.startsWith(root.toAbsolutePath())) {
                throw new RepositoryNotFoundException(name);
            }
            try {
                return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
            } catch (java.io.IOException e) {
                throw new RepositoryNotFoundException(name, e);
            }
        });
        context.addServlet(new ServletHolder(git), "/*");
        context.addFilter(new FilterHolder(fixture.basicAuth()), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        fixture.port = https.getLocalPort();
        return fixture;
    }

    public int port() {
        return port;
    }

    /** {@code token} lets {@code user} read every repository. */
    public void grant(String user, String token) {
        tokens.put(token, new Grant(user, true, false));
    }

    /** {@code token} is {@code user}'s, but may not read repository contents (HTTP 403). */
    public void grantWithoutRead(String user, String token) {
        tokens.put(token, new Grant(user, false, false));
    }

    /** The token has expired: it is refused as unknown ones are (HTTP 401). */
    public void expire(String token) {
        tokens.computeIfPresent(token, (t, g) -> new Grant(g.user(), g.read(), true));
    }

    public void revoke(String token) {
        tokens.remove(token);
    }

    /** Fetches served (git-upload-pack requests). */
    public int uploads() {
        return uploads.get();
    }

    /** The URL of the bare repository at {@code dir}. */
    public String url(Path dir) {
        return "https://127.0.0.1:" + port + dir.toAbsolutePath();
    }

    private Filter basicAuth() {
        return (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            HttpServletResponse answer = (HttpServletResponse) response;
            Grant grant = grant(http.getHeader("Authorization"));
            if (grant == null || grant.expired()) {
                answer.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
                answer.sendError(401);
                return;
            }
            if (!grant.read()) {
                answer.sendError(403);
                return;
            }
            if (http.getRequestURI().endsWith("/git-upload-pack")) {
                uploads.incrementAndGet();
            }
            chain.doFilter(request, response);
        };
    }

    private Grant grant(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        String pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        Grant grant = colon < 0 ? null : tokens.get(pair.substring(colon + 1));
        return grant != null && grant.user().equals(pair.substring(0, colon)) ? grant : null;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
