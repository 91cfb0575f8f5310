package dev.hone.server;

import dev.hone.dataset.DataVersions;
import dev.hone.error.HoneException;
import dev.hone.spec.Spec;
import dev.hone.spec.SpecLoader;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * New data ({@code hone.yaml data:}): for each watched branch whose latest run has ended and recorded the versions of
 * the data it trained on, the sources its spec names are looked at again; when one has another version, the head of
 * the branch is queued to train again. A source that cannot be read is logged (once until it changes), not retried
 * as new data.
 */
final class DataWatch {

    private static final Logger LOG = LoggerFactory.getLogger(DataWatch.class);

    private final Watchlist watchlist;
    private final Store store;
    private final Intake intake;
    private final DataVersions data;
    private final Map<String, String> env;
    private final Map<String, String> failing = new ConcurrentHashMap<>();

    DataWatch(Watchlist watchlist, Store store, Intake intake, DataVersions data, Map<String, String> env) {
        this.watchlist = watchlist;
        this.store = store;
        this.intake = intake;
        this.data = data;
        this.env = Map.copyOf(env);
    }

    /** Looks at the data of every watched branch once; the runs queued. */
    synchronized List<Long> check() {
        List<Long> queued = new ArrayList<>();
        for (Watched repository : watchlist.all()) {
            for (String branch : Schedules.branches(repository, store.installation())) {
                try {
                    check(repository, branch).ifPresent(queued::add);
                } catch (RuntimeException e) {
                    LOG.error("event=data_check_failed repository={} branch={} reason=\"{}\"", repository.source(),
                            branch, e.toString());
                }
            }
        }
        return queued;
    }

    private Optional<Long> check(Watched repository, String branch) {
        Optional<RunRow> latest = store.latestRun(repository.source(), branch);
        if (latest.isEmpty() || latest.get().status().live()) {
            return Optional.empty();
        }
        RunRow run = latest.get();
        Map<String, String> trained = store.dataVersions(run.id());
        Optional<Spec> spec = SpecLoader.snapshot(run.specYaml(), run.project(), env);
        if (trained.isEmpty() || spec.isEmpty() || spec.get().data().isEmpty()) {
            return Optional.empty();
        }
        String key = repository.source() + " " + branch;
        Map<String, String> now;
        try {
            now = data.versions(spec.get().data(), trained);
            failing.remove(key);
        } catch (HoneException e) {
            if (!e.getMessage().equals(failing.put(key, e.getMessage()))) {
                LOG.warn("event=data_unreadable repository={} branch={} reason=\"{}\"", repository.source(), branch,
                        e.getMessage());
            }
            return Optional.empty();
        }
        if (now.equals(trained)) {
            return Optional.empty();
        }
        LOG.info("event=data_changed repository={} branch={} run={} was={} now={}", repository.source(), branch,
                run.id(), trained, now);
        return Optional.of(intake.retrain(repository, branch, "data"));
    }
}
