package dev.hone.server;

import dev.hone.source.GitClient;
import dev.hone.source.Mirror;
import dev.hone.source.Signatures;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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
            return work.apply(mirror(repository));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} on the repository's cache when no other thread uses it; empty, at once, when one does (a
     * fetch under way), or when {@code work} finds nothing.
     */
    <T> Optional<T> peek(Watched repository, Function<Mirror, Optional<T>> work) {
        ReentrantLock lock = locks.computeIfAbsent(repository.key(), k -> new ReentrantLock());
        if (!lock.tryLock()) {
            return Optional.empty();
        }
        try {
            return work.apply(mirror(repository));
        } finally {
            lock.unlock();
        }
    }

    private Mirror mirror(Watched repository) {
        return git.mirror(repository.remote(), reposDir.resolve(Signatures.sha256Hex(repository.key()).substring(0, 16)));
    }

    /** The remote's branch heads; needs no cache, so it does not wait for the lock. */
    Map<String, String> branches(Watched repository) {
        return git.mirror(repository.remote(), reposDir).branches();
    }
}
