package dev.hone.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A repository added through the API or {@code hone repo add}. Secrets are never stored: {@code webhookSecretEnv},
 * {@code usernameEnv}, {@code passwordEnv} and {@code passphraseEnv} name the environment variables that hold them,
 * and {@code sshKeyFile} is the path of the private key's file (null: none). {@code knownHosts}: the known_hosts
 * file of its SSH server (null: the server user's); {@code caCert}: the CA certificates (PEM) of its HTTPS server
 * (null: the JVM's).
 */
public record RepositoryRow(long id, String url, List<String> branches, Duration poll, String webhookSecretEnv,
                            String usernameEnv, String passwordEnv, Path sshKeyFile, String passphraseEnv,
                            Path knownHosts, Path caCert, Instant createdAt) {

    public RepositoryRow {
        branches = List.copyOf(branches);
    }

    /** A repository read over HTTP(S) with the JVM's CAs, or over SSH with the server user's keys. */
    public RepositoryRow(long id, String url, List<String> branches, Duration poll, String webhookSecretEnv,
                         String usernameEnv, String passwordEnv, Instant createdAt) {
        this(id, url, branches, poll, webhookSecretEnv, usernameEnv, passwordEnv, null, null, null, null, createdAt);
    }
}
