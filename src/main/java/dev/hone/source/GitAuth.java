package dev.hone.source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How Hone proves it may read a repository. {@code toString} never shows a password, a key or a passphrase. */
public sealed interface GitAuth {

    /** What of it must be masked in every output: the password; the passphrase and the key's lines. */
    default List<String> secrets() {
        return switch (this) {
            case Password p -> p.password() == null ? List.of() : List.of(p.password());
            case SshKey k -> keySecrets(k.key(), k.passphrase());
        };
    }

    /**
     * The secrets of an SSH key given as text: its passphrase, and each line of its body (output is masked line by
     * line, so a key printed whole is hidden line by line); none for nulls.
     */
    static List<String> keySecrets(String key, String passphrase) {
        List<String> secrets = new ArrayList<>();
        if (passphrase != null) {
            secrets.add(passphrase);
        }
        if (key != null) {
            key.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("-----"))
                    .forEach(secrets::add);
        }
        return secrets;
    }

    /** HTTP(S): a user name and a password, usually an access token. */
    record Password(String username, String password) implements GitAuth {
        @Override
        public String toString() {
            return "Password[username=" + username + ", password=***]";
        }
    }

    /**
     * SSH: a private key, given as its text ({@code key}) or as a file ({@code keyFile}), with its passphrase (null:
     * none), and the known_hosts file that vouches for the server (null: the server user's
     * {@code ~/.ssh/known_hosts}). Both key and keyFile null: the server user's keys in {@code ~/.ssh}.
     */
    record SshKey(String key, Path keyFile, String passphrase, Path knownHosts) implements GitAuth {

        /** A key file with no passphrase, checked against the server user's known_hosts. */
        public static SshKey file(Path keyFile) {
            return new SshKey(null, keyFile, null, null);
        }

        /** True when the repository has its own key, not the server user's. */
        public boolean ownKey() {
            return key != null || keyFile != null;
        }

        @Override
        public String toString() {
            return "SshKey[key=" + (key == null ? "null" : "***") + ", keyFile=" + keyFile + ", passphrase="
                    + (passphrase == null ? "null" : "***") + ", knownHosts=" + knownHosts + "]";
        }
    }
}
