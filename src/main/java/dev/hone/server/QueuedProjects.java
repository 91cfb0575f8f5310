package dev.hone.server;

import dev.hone.source.GitException;
import dev.hone.spec.Spec;
import dev.hone.spec.SpecLoader;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import java.util.Map;
import java.util.Optional;

/**
 * The project a run belongs to from the moment it is queued: the {@code name:} of its commit's {@code hone.yaml}
 * (the repository's name when it gives none or has none), read from the repository's cache without a checkout.
 * When that cannot be read — the commit is not fetched yet (a webhook's push), the cache is busy, the file does
 * not load, or the name is another watched repository's project — the project of the repository's latest run that
 * read its {@code hone.yaml}, else the repository's name. A run's start reads the file again and moves the
 * repository's queued runs to the name it gives ({@link dev.hone.store.RunQueue#assign}).
 */
final class QueuedProjects {

    /** How many of the repository's latest runs are looked through for the project it last ran under. */
    private static final int LOOKBACK = 20;

    private final Store store;
    private final Mirrors mirrors;
    private final Watchlist watchlist;
    private final Map<String, String> env;

    QueuedProjects(Store store, Mirrors mirrors, Watchlist watchlist, Map<String, String> env) {
        this.store = store;
        this.mirrors = mirrors;
        this.watchlist = watchlist;
        this.env = Map.copyOf(env);
    }

    /** The project of a run of {@code commit} (null: a branch's head, not known yet) of {@code repository}. */
    String of(Watched repository, String commit) {
        return read(repository, commit)
                .filter(name -> watchlist.claimed(name, repository.source(), store).isEmpty())
                .orElseGet(() -> lastRan(repository).orElse(repository.name()));
    }

    private Optional<String> read(Watched repository, String commit) {
        if (commit == null) {
            return Optional.empty();
        }
        try {
            // present when the cache has the commit; within, the text of its hone.yaml, if it has one
            Optional<Optional<String>> spec = mirrors.peek(repository, mirror -> mirror.commit(commit)
                    .map(c -> mirror.topLevelFile(c.sha(), SpecLoader.FILE_NAMES)));
            return spec.flatMap(text -> text.isEmpty() ? Optional.of(repository.name())
                    : SpecLoader.snapshot(text.get(), repository.name(), env).map(Spec::name));
        } catch (GitException e) {
            return Optional.empty();
        }
    }

    private Optional<String> lastRan(Watched repository) {
        return store.runs(null, LOOKBACK, 0).stream()
                .filter(run -> repository.source().equals(run.source()) && run.framework() != null)
                .map(RunRow::project).findFirst();
    }
}
