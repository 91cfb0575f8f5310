package dev.hone.source;

import java.nio.file.Path;

/**
 * A remote repository and how to read it: its URL, the credentials (null: none over HTTP(S), the server user's
 * keys over SSH), and the CA certificates (a PEM file) an HTTPS server's certificate is checked against (null: the
 * JVM's trusted CAs).
 */
public record Remote(String url, GitAuth auth, Path caCert) {

    /** A repository read without credentials. */
    public static Remote of(String url) {
        return new Remote(url, null, null);
    }

    /** The URL with any credentials in it masked. */
    public String shown() {
        return GitUrls.mask(url);
    }

    @Override
    public String toString() {
        return "Remote[url=" + shown() + ", auth=" + auth + ", caCert=" + caCert + "]";
    }
}
