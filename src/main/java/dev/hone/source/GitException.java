package dev.hone.source;

import dev.hone.error.HoneException;

/**
 * A git operation on a repository failed: the message names the repository (credentials masked), what went wrong
 * and what to do about it; {@link #kind()} says which of the failures teams meet it is.
 */
public final class GitException extends HoneException {

    /** What went wrong, as far as it can be told. */
    public enum Kind {
        /** The name of the host does not resolve, or nothing answers on its port in time. */
        UNREACHABLE,
        /** The SSH server refused the key (permission denied, publickey). */
        KEY_REFUSED,
        /** The repository's own private key cannot be read: not a key, encrypted without a passphrase, … */
        KEY_UNUSABLE,
        /** The SSH server's host key is in no known_hosts file Hone reads. */
        HOST_KEY_UNKNOWN,
        /** The SSH server's host key is not the one known_hosts has for it. */
        HOST_KEY_CHANGED,
        /** The HTTPS server's certificate is not signed by a CA Hone trusts for it. */
        CERTIFICATE_UNTRUSTED,
        /** HTTP 401: no credentials, or credentials the server does not accept (wrong, expired, revoked). */
        CREDENTIALS_REFUSED,
        /** HTTP 403: the credentials were accepted but may not read the repository. */
        NO_READ_ACCESS,
        /** The server has no such repository, or does not show it to these credentials. */
        NOT_FOUND,
        /** Anything else; the message has git's reason. */
        OTHER
    }

    private final Kind kind;

    GitException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
