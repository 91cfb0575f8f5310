package dev.hone.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.hone.store.TokenRow.Scope;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The tokens of {@code hone token}, kept by every store (SQLite and PostgreSQL run it). */
abstract class TokensContract {

    static final Instant MADE = Instant.ofEpochMilli(1_760_000_000_123L);
    static final String HASH = "a".repeat(64);

    abstract Store store();

    Installation installation() {
        return store().installation();
    }

    @Test
    void aTokenIsFoundByItsHashWithItsScopeAndNoUseYet() {
        assertThat(installation().addToken(new TokenRow("ci", Scope.READ, HASH, MADE, null))).isTrue();

        assertThat(installation().tokenByHash(HASH)).hasValue(new TokenRow("ci", Scope.READ, HASH, MADE, null));
        assertThat(installation().tokenByHash("b".repeat(64))).isEmpty();
    }

    @Test
    void tokensAreListedByNameAndANameIsTakenOnce() {
        installation().addToken(new TokenRow("deploy", Scope.WRITE, "d".repeat(64), MADE, null));
        installation().addToken(new TokenRow("ci", Scope.READ, HASH, MADE, null));

        assertThat(installation().addToken(new TokenRow("ci", Scope.WRITE, "c".repeat(64), MADE, null))).isFalse();
        assertThat(installation().tokens()).extracting(TokenRow::name, TokenRow::scope)
                .containsExactly(tuple("ci", Scope.READ),
                        tuple("deploy", Scope.WRITE));
    }

    @Test
    void theLastUseIsRecorded() {
        installation().addToken(new TokenRow("ci", Scope.READ, HASH, MADE, null));

        installation().tokenUsed("ci", MADE.plusSeconds(90));

        assertThat(installation().tokens()).singleElement().extracting(TokenRow::lastUsedAt)
                .isEqualTo(MADE.plusSeconds(90));
    }

    @Test
    void aRevokedTokenIsGone() {
        installation().addToken(new TokenRow("ci", Scope.READ, HASH, MADE, null));

        assertThat(installation().revokeToken("ci")).isTrue();
        assertThat(installation().revokeToken("ci")).isFalse();
        assertThat(installation().tokenByHash(HASH)).isEmpty();
        assertThat(installation().tokens()).isEmpty();
    }
}
