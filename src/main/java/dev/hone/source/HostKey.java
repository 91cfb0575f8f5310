package dev.hone.source;

/**
 * An SSH server's host key as it was offered: the host and port it was reached at, the key's type
 * ({@code ssh-ed25519}), its SHA-256 fingerprint ({@code SHA256:…}, as {@code ssh-keygen -l} and the hosting sites
 * print it), and the line known_hosts records it with.
 */
public record HostKey(String host, int port, String type, String fingerprint, String line) {

    /** {@code host}, or {@code host:port} when the port is not 22: what {@code hone repo trust} takes. */
    public String address() {
        return port == 22 ? host : (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
