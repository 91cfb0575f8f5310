package dev.hone.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory2;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

/**
 * JGit's HTTP connections for one repository: through the proxy {@link Proxies} chooses for the URL, and, with a
 * {@code ca_cert}, trusting only the CA certificates in that PEM file (a self-hosted GitLab or Gitea with an
 * internal CA). The server's name is still checked against its certificate.
 */
final class HttpConnections implements HttpConnectionFactory2 {

    private final JDKHttpConnectionFactory jdk = new JDKHttpConnectionFactory();
    private final Proxies proxies;
    private final TrustManager[] trust;

    private HttpConnections(Proxies proxies, TrustManager[] trust) {
        this.proxies = proxies;
        this.trust = trust;
    }

    /**
     * @param caCert PEM certificates to trust instead of the JVM's CAs; null: the JVM's
     * @throws CaProblem when the file cannot be read or holds no certificate
     */
    static HttpConnections of(Proxies proxies, Path caCert) throws CaProblem {
        return new HttpConnections(proxies, caCert == null ? null : trustManagers(caCert));
    }

    @Override
    public HttpConnection create(URL url) throws IOException {
        return create(url, null);
    }

    @Override
    public HttpConnection create(URL url, Proxy ignored) throws IOException {
        List<Proxy> chosen;
        try {
            chosen = proxies.select(url.toURI());
        } catch (URISyntaxException e) {
            throw new IOException("not a URL: " + GitUrls.mask(url.toString()), e);
        }
        HttpConnection connection = jdk.create(url, chosen.isEmpty() ? Proxy.NO_PROXY : chosen.get(0));
        if (trust != null && "https".equalsIgnoreCase(url.getProtocol())) {
            try {
                connection.configure(null, trust, null);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot set up TLS: " + e.getMessage(), e);
            }
        }
        return connection;
    }

    @Override
    public GitSession newSession() {
        return jdk.newSession();
    }

    /** The CA file cannot be used; the message names it and says why. */
    static final class CaProblem extends Exception {
        CaProblem(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static TrustManager[] trustManagers(Path caCert) throws CaProblem {
        try (InputStream in = Files.newInputStream(caCert)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new CaProblem("ca_cert " + caCert + " holds no certificate: give the CA's certificate in PEM "
                        + "(-----BEGIN CERTIFICATE-----)", null);
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (IOException e) {
            throw new CaProblem("ca_cert " + caCert + " cannot be read (" + e.getClass().getSimpleName() + "): give "
                    + "the path of the CA's certificate (PEM) on the server", e);
        } catch (GeneralSecurityException e) {
            throw new CaProblem("ca_cert " + caCert + " is not a PEM certificate (" + e.getMessage() + ")", e);
        }
    }
}
