package dev.hone.exec.docker;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises, in what a command printed, that it could not resolve a name or reach a host: Python's socket errors
 * ("[Errno -3] Temporary failure in name resolution", "[Errno -2] Name or service not known", "[Errno 101] Network
 * is unreachable", as urllib, requests and urllib3 print them), curl's and pip's. A trial that fails so in a
 * container without network is told why; a build, where it comes from.
 */
final class NetworkErrors {

    /** Said of a trial that failed on the network in a container started with {@code network: none}. */
    static final String NO_NETWORK = "the trial has no network (environment.network: none); set network: bridge if it"
            + " needs one";

    private static final Pattern UNREACHABLE = Pattern.compile("Temporary failure in name resolution"
            + "|Name or service not known|No address associated with hostname|Network is unreachable"
            + "|Could not resolve host|NameResolutionError|Failed to resolve|getaddrinfo failed");

    private NetworkErrors() {}

    /** The last line that says a name could not be resolved or a network reached. */
    static Optional<String> lastIn(Collection<String> lines) {
        List<String> list = List.copyOf(lines);
        for (int i = list.size() - 1; i >= 0; i--) {
            String line = list.get(i).strip();
            if (UNREACHABLE.matcher(line).find()) {
                return Optional.of(line);
            }
        }
        return Optional.empty();
    }
}
