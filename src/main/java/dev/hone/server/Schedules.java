package dev.hone.server;

import dev.hone.store.Installation;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repositories' schedules ({@code triggers.schedule}): when the schedule's latest slot is later than the one that
 * last fired, the head of each watched branch is queued to be trained again, and that slot is recorded in the store.
 * So slots missed while Hone was down fire once, at start, not once each; and a schedule seen for the first time
 * starts from now (no slot before it fires).
 */
final class Schedules {

    /** Under what name the store keeps the slot that last fired. */
    static final String STATE = "schedule";
    private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);

    private final Watchlist watchlist;
    private final Installation installation;
    private final Intake intake;
    private final InstantSource clock;

    Schedules(Watchlist watchlist, Installation installation, Intake intake, InstantSource clock) {
        this.watchlist = watchlist;
        this.installation = installation;
        this.intake = intake;
        this.clock = clock;
    }

    /** Fires every schedule whose slot has come since it last fired; the runs queued. */
    synchronized List<Long> fire() {
        Instant now = clock.instant();
        List<Long> queued = new ArrayList<>();
        for (Watched repository : watchlist.all()) {
            if (repository.schedule() == null) {
                continue;
            }
            try {
                queued.addAll(fire(repository, now));
            } catch (RuntimeException e) {
                LOG.error("event=schedule_failed repository={} reason=\"{}\"", repository.source(), e.toString());
            }
        }
        return queued;
    }

    private List<Long> fire(Watched repository, Instant now) {
        String source = repository.source();
        Optional<Instant> last = installation.triggerState(source, STATE).map(Instant::parse);
        Optional<Instant> slot = repository.schedule().latestAtOrBefore(now);
        if (last.isEmpty()) {
            installation.saveTriggerState(source, STATE, now.toString(), now);
            return List.of();
        }
        if (slot.isEmpty() || !slot.get().isAfter(last.get())) {
            return List.of();
        }
        installation.saveTriggerState(source, STATE, slot.get().toString(), now);
        List<Long> queued = new ArrayList<>();
        for (String branch : branches(repository, installation)) {
            queued.add(intake.retrain(repository, branch, "schedule"));
        }
        LOG.info("event=schedule_fired repository={} schedule=\"{}\" slot={} runs={}", source,
                repository.schedule().expression(), slot.get(), queued);
        return queued;
    }

    /**
     * The watched branches to train: those the repository was last seen with (patterns matched), else the names it
     * watches.
     */
    static Set<String> branches(Watched repository, Installation installation) {
        Set<String> branches = new LinkedHashSet<>();
        Optional<Map<String, String>> seen = installation.lastSeen(repository.source());
        if (seen.isPresent()) {
            seen.get().keySet().stream().filter(repository::watches).sorted().forEach(branches::add);
        } else {
            repository.branches().stream().filter(b -> !b.contains("*")).forEach(branches::add);
        }
        return branches;
    }
}
