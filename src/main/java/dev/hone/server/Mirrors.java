package dev.hone.server;

import dev.hone.source.GitClient;
import dev.hone.source.Mirror;
import dev.hone.source.Signatures;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/** The bare caches of watched repositories in {@code <data>/repos/<hash of the URL>}, one user at a time each. */
final class Mirrors {

    private final GitClient git;
    private final Path reposDir;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    Mirrors(GitClient git, Path reposDir) {
        this.git = git;
        this.reposDir = reposDir;
    }

    /** Runs {@code work} on the repository's cache while no other thread uses it. */
    <T> T with(Watched repository, Function<Mirror, T> work) {
        ReentrantLock lock = locks.computeIfAbsent(repository.key(), k -> new ReentrantLock());
        lock.lock();
        try {
            return work.apply(git.mirror(repository.remote(),
                    reposDir.resolve(Signatures.sha256Hex(repository.key()).substring(0, 16))));
        } finally {
            lock.unlock();
        }
    }

    /** The remote's branch heads; needs no cache, so it does not wait for the lock. */
    Map<String, String> branches(Watched repository) {
        return git.mirror(repository.remote(), reposDir).branches();
    }
}
