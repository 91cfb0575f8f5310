package dev.hone.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code hone serve} keeps besides runs: the repositories added at run time, the branch heads each watched
 * repository was last seen at, what happened to each (unreachable, recovered), the hash of the generated API token,
 * and the tokens made with {@code hone token create} (hashed). Repositories are keyed by URL as configured
 * (credentials masked), tokens by name.
 */
public interface Installation {

    /** Adds a repository; empty when one with its URL exists. {@code row.id()} and {@code createdAt} are ignored. */
    Optional<RepositoryRow> addRepository(RepositoryRow row, Instant at);

    /** Removes a repository by URL; false when there was none. Its last-seen heads and events are kept. */
    boolean removeRepository(String url);

    /** Added repositories in the order they were added. */
    List<RepositoryRow> repositories();

    /** Branch → SHA at the last poll or webhook; empty when the repository was never seen. */
    Optional<Map<String, String>> lastSeen(String url);

    /** Replaces what the repository was last seen at. */
    void saveSeen(String url, Map<String, String> branches, Instant at);

    /** Records one branch's new head (a webhook), keeping the others; {@code sha} null: the branch was deleted. */
    void saveSeenBranch(String url, String branch, String sha, Instant at);

    void addRepositoryEvent(String url, EventRow event);

    /**
     * What a trigger of the repository last recorded under {@code name} ({@code schedule}: the slot that last fired;
     * {@code data:<branch>:<source>}: the version last trained on); empty when nothing was.
     */
    Optional<String> triggerState(String url, String name);

    /** Records {@code value} under {@code name} for the repository, replacing what was. */
    void saveTriggerState(String url, String name, String value, Instant at);

    /** The repository's events, newest first. */
    List<EventRow> repositoryEvents(String url, int limit);

    /** The SHA-256 (hex) of the generated API token, when one was generated. */
    Optional<String> apiTokenHash();

    void saveApiTokenHash(String sha256Hex, Instant at);

    /** Keeps a token ({@code lastUsedAt} is ignored); false when a token has its name already. */
    boolean addToken(TokenRow token);

    /** The tokens, by name. */
    List<TokenRow> tokens();

    /** The token whose text has this SHA-256 (hex), if there is one. */
    Optional<TokenRow> tokenByHash(String sha256Hex);

    /** Revokes the token named so; false when there was none. */
    boolean revokeToken(String name);

    /** Records that the token named so was accepted at {@code at}. */
    void tokenUsed(String name, Instant at);
}
