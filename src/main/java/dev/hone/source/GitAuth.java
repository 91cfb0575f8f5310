package dev.hone.source;

/** HTTP credentials for a repository (the password is often a token). {@code toString} never shows the password. */
public record GitAuth(String username, String password) {

    @Override
    public String toString() {
        return "GitAuth[username=" + username + ", password=***]";
    }
}
