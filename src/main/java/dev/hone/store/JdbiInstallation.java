package dev.hone.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** The server's own records in SQL through JDBI; the same statements run on SQLite and PostgreSQL. */
final class JdbiInstallation implements Installation {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;

    JdbiInstallation(Database database) {
        this.database = database;
    }

    @Override
    public Optional<RepositoryRow> addRepository(RepositoryRow row, Instant at) {
        return database.inTransaction("add repository " + row.url(), handle -> {
            int added = handle.createUpdate("""
                            INSERT INTO repositories (url, branches_json, poll_ms, webhook_secret_env, username_env,
                                                      password_env, ssh_key_file, passphrase_env, known_hosts_file,
                                                      ca_cert_file, created_at)
                            VALUES (:url, :branches, :poll, :secret, :user, :password, :key, :passphrase, :knownHosts,
                                    :caCert, :at)
                            ON CONFLICT (url) DO NOTHING""")
                    .bind("url", row.url()).bind("branches", write(row.branches())).bind("poll", row.poll().toMillis())
                    .bind("secret", row.webhookSecretEnv()).bind("user", row.usernameEnv())
                    .bind("password", row.passwordEnv()).bind("key", text(row.sshKeyFile()))
                    .bind("passphrase", row.passphraseEnv()).bind("knownHosts", text(row.knownHosts()))
                    .bind("caCert", text(row.caCert())).bind("at", at.toEpochMilli()).execute();
            return added == 1
                    ? handle.createQuery("SELECT * FROM repositories WHERE url = :url").bind("url", row.url())
                            .map(JdbiInstallation::repository).findOne()
                    : Optional.<RepositoryRow>empty();
        });
    }

    @Override
    public boolean removeRepository(String url) {
        return database.inTransaction("remove repository " + url, handle -> handle
                .createUpdate("DELETE FROM repositories WHERE url = :url").bind("url", url).execute() == 1);
    }

    @Override
    public List<RepositoryRow> repositories() {
        return database.withHandle("list repositories", handle -> handle
                .createQuery("SELECT * FROM repositories ORDER BY id").map(JdbiInstallation::repository).list());
    }

    @Override
    public Optional<Map<String, String>> lastSeen(String url) {
        return database.withHandle("read the last-seen branches of " + url, handle -> seen(handle, url));
    }

    @Override
    public void saveSeen(String url, Map<String, String> branches, Instant at) {
        database.inTransaction("record the branches of " + url, handle -> upsert(handle, url, branches, at));
    }

    @Override
    public void saveSeenBranch(String url, String branch, String sha, Instant at) {
        database.inTransaction("record branch " + branch + " of " + url, handle -> {
            Map<String, String> refs = new TreeMap<>(seen(handle, url).orElse(Map.of()));
            if (sha == null) {
                refs.remove(branch);
            } else {
                refs.put(branch, sha);
            }
            return upsert(handle, url, refs, at);
        });
    }

    @Override
    public void addRepositoryEvent(String url, EventRow event) {
        database.inTransaction("add event " + event.type() + " to repository " + url, handle -> handle
                .createUpdate("""
                        INSERT INTO repository_events (url, type, message, at)
                        VALUES (:url, :type, :message, :at)""")
                .bind("url", url).bind("type", event.type()).bind("message", event.message())
                .bind("at", event.at().toEpochMilli()).execute());
    }

    @Override
    public Optional<String> triggerState(String url, String name) {
        return database.withHandle("read " + name + " of repository " + url, handle -> handle
                .createQuery("SELECT value FROM trigger_state WHERE url = :url AND name = :name")
                .bind("url", url).bind("name", name).mapTo(String.class).findOne());
    }

    @Override
    public void saveTriggerState(String url, String name, String value, Instant at) {
        database.inTransaction("record " + name + " of repository " + url, handle -> handle
                .createUpdate("""
                        INSERT INTO trigger_state (url, name, value, updated_at) VALUES (:url, :name, :value, :at)
                        ON CONFLICT (url, name) DO UPDATE SET value = excluded.value,
                                                              updated_at = excluded.updated_at""")
                .bind("url", url).bind("name", name).bind("value", value).bind("at", at.toEpochMilli()).execute());
    }

    @Override
    public List<EventRow> repositoryEvents(String url, int limit) {
        return database.withHandle("read events of repository " + url, handle -> handle
                .createQuery("""
                        SELECT type, message, at FROM repository_events WHERE url = :url ORDER BY id DESC LIMIT :n""")
                .bind("url", url).bind("n", limit)
                .map((rs, ctx) -> new EventRow(rs.getString("type"), rs.getString("message"),
                        Instant.ofEpochMilli(rs.getLong("at"))))
                .list());
    }

    @Override
    public Optional<String> apiTokenHash() {
        return database.withHandle("read the API token's hash", handle -> handle
                .createQuery("SELECT sha256 FROM api_tokens ORDER BY id DESC LIMIT 1").mapTo(String.class).findOne());
    }

    @Override
    public void saveApiTokenHash(String sha256Hex, Instant at) {
        database.inTransaction("record the API token's hash", handle -> handle
                .createUpdate("INSERT INTO api_tokens (sha256, created_at) VALUES (:hash, :at)")
                .bind("hash", sha256Hex).bind("at", at.toEpochMilli()).execute());
    }

    @Override
    public boolean addToken(TokenRow token) {
        return database.inTransaction("add token " + token.name(), handle -> handle.createUpdate("""
                        INSERT INTO access_tokens (name, scope, sha256, created_at) VALUES (:name, :scope, :hash, :at)
                        ON CONFLICT (name) DO NOTHING""")
                .bind("name", token.name()).bind("scope", token.scope().label()).bind("hash", token.sha256())
                .bind("at", token.createdAt().toEpochMilli()).execute() == 1);
    }

    @Override
    public List<TokenRow> tokens() {
        return database.withHandle("list tokens", handle -> handle
                .createQuery("SELECT * FROM access_tokens ORDER BY name").map(JdbiInstallation::token).list());
    }

    @Override
    public Optional<TokenRow> tokenByHash(String sha256Hex) {
        return database.withHandle("look a token up", handle -> handle
                .createQuery("SELECT * FROM access_tokens WHERE sha256 = :hash").bind("hash", sha256Hex)
                .map(JdbiInstallation::token).findOne());
    }

    @Override
    public boolean revokeToken(String name) {
        return database.inTransaction("revoke token " + name, handle -> handle
                .createUpdate("DELETE FROM access_tokens WHERE name = :name").bind("name", name).execute() == 1);
    }

    @Override
    public void tokenUsed(String name, Instant at) {
        database.inTransaction("record the use of token " + name, handle -> handle
                .createUpdate("UPDATE access_tokens SET last_used_at = :at WHERE name = :name")
                .bind("name", name).bind("at", at.toEpochMilli()).execute());
    }

    private static TokenRow token(ResultSet rs, StatementContext ctx) throws SQLException {
        long used = rs.getLong("last_used_at");
        Instant lastUsed = rs.wasNull() ? null : Instant.ofEpochMilli(used);
        return new TokenRow(rs.getString("name"), TokenRow.Scope.of(rs.getString("scope")), rs.getString("sha256"),
                Instant.ofEpochMilli(rs.getLong("created_at")), lastUsed);
    }

    private static Optional<Map<String, String>> seen(Handle handle, String url) {
        return handle.createQuery("SELECT refs_json FROM repository_state WHERE url = :url").bind("url", url)
                .mapTo(String.class).findOne().map(json -> read(json, new TypeReference<Map<String, String>>() {}));
    }

    private static int upsert(Handle handle, String url, Map<String, String> refs, Instant at) {
        return handle.createUpdate("""
                        INSERT INTO repository_state (url, refs_json, updated_at) VALUES (:url, :refs, :at)
                        ON CONFLICT (url) DO UPDATE SET refs_json = excluded.refs_json,
                                                        updated_at = excluded.updated_at""")
                .bind("url", url).bind("refs", write(new TreeMap<>(refs))).bind("at", at.toEpochMilli()).execute();
    }

    private static RepositoryRow repository(ResultSet rs, StatementContext ctx) throws SQLException {
        return new RepositoryRow(rs.getLong("id"), rs.getString("url"),
                read(rs.getString("branches_json"), new TypeReference<List<String>>() {}),
                Duration.ofMillis(rs.getLong("poll_ms")), rs.getString("webhook_secret_env"),
                rs.getString("username_env"), rs.getString("password_env"), path(rs.getString("ssh_key_file")),
                rs.getString("passphrase_env"), path(rs.getString("known_hosts_file")),
                path(rs.getString("ca_cert_file")), Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private static String text(Path path) {
        return path == null ? null : path.toString();
    }

    private static Path path(String text) {
        return text == null ? null : Path.of(text);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot write " + value + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot read stored JSON " + json + ": " + e.getOriginalMessage(), e);
        }
    }
}
