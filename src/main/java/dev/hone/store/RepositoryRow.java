package dev.hone.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A repository added through the API or {@code hone repo add}. Secrets are never stored: {@code webhookSecretEnv},
 * {@code usernameEnv} and {@code passwordEnv} name the environment variables that hold them (null: none).
 */
public record RepositoryRow(long id, String url, List<String> branches, Duration poll, String webhookSecretEnv,
                            String usernameEnv, String passwordEnv, Instant createdAt) {

    public RepositoryRow {
        branches = List.copyOf(branches);
    }
}
