package dev.hone.source;

import dev.hone.HoneException;

/** A git operation on a repository failed: the message names the repository (credentials masked) and the reason. */
public final class GitException extends HoneException {

    GitException(String message, Throwable cause) {
        super(message, cause);
    }
}
