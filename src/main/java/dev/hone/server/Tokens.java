package dev.hone.server;

import dev.hone.error.HoneException;
import dev.hone.source.Signatures;
import dev.hone.store.Installation;
import dev.hone.store.TokenRow;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The tokens of {@code hone token}: made with a name and a scope (read, or read and write), shown once and kept only
 * as their SHA-256, listed with their last use, revoked by name. {@link Access} accepts them.
 */
public final class Tokens {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Installation installation;
    private final SecureRandom random;
    private final InstantSource clock;

    public Tokens(Installation installation, SecureRandom random, InstantSource clock) {
        this.installation = installation;
        this.random = random;
        this.clock = clock;
    }

    /** Makes a token and returns its text, which is kept nowhere: the caller shows it once. */
    public String create(String name, TokenRow.Scope scope) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new HoneException("a token's name is letters, digits, '.', '_' and '-', starting with a letter or "
                    + "digit, at most 64 characters; got \"" + name + "\"");
        }
        if (name.equals(Access.API_TOKEN)) {
            throw new HoneException("\"" + Access.API_TOKEN + "\" names the token of hone-server.yaml; choose another"
                    + " name");
        }
        String text = generate(random);
        if (!installation.addToken(new TokenRow(name, scope, Signatures.sha256Hex(text), clock.instant(), null))) {
            throw new HoneException("there is a token named " + name + " already: revoke it first (hone token revoke "
                    + name + ") or choose another name");
        }
        return text;
    }

    /** The tokens, by name, with their scope, creation and last use. */
    public List<TokenRow> list() {
        return installation.tokens();
    }

    /** Revokes a token: from now on it is refused, and the dashboard sessions signed in with it end. */
    public void revoke(String name) {
        if (!installation.revokeToken(name)) {
            throw new HoneException("there is no token named " + name + ": hone token list shows them");
        }
    }

    /** A new token's text: {@code hone_} and 256 random bits, base64url. */
    static String generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "hone_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
