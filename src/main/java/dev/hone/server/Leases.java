package dev.hone.server;

import dev.hone.data.DataDir;
import dev.hone.error.HoneException;
import dev.hone.pipeline.Recovery;
import dev.hone.spec.ServerSpec;
import dev.hone.store.Leadership;
import dev.hone.store.Store;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What makes this {@code hone serve} one controller among several on one store. Every {@code controller.renew} it
 * renews the leases of the runs it runs, takes over the runs whose lease expired (their controller died: they go
 * back to the queue, to go on from their recorded trials wherever a controller is free), and contends for the lead:
 * only the leader polls. A SQLite store takes one controller: a second one is refused at start.
 */
final class Leases {

    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

    private final Store store;
    private final DataDir dataDir;
    private final Watchlist watchlist;
    private final Scheduler scheduler;
    private final ServerSpec.Controller settings;
    private final String id;
    private final InstantSource clock;
    private final PrintStream console;
    private final Leadership leadership;
    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("hone-leases").factory());
    private volatile boolean leading;

    Leases(Store store, DataDir dataDir, Watchlist watchlist, Scheduler scheduler, ServerSpec.Controller settings,
           String id, InstantSource clock, PrintStream console) {
        this.store = store;
        this.dataDir = dataDir;
        this.watchlist = watchlist;
        this.scheduler = scheduler;
        this.settings = settings;
        this.id = id;
        this.clock = clock;
        this.console = console;
        this.leadership = store.leadership();
    }

    /** A new controller's id: {@code host:pid:} and six random hex digits (a restarted container keeps pid 1). */
    static String newId() {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        return Recovery.self() + ":" + HexFormat.of().formatHex(random);
    }

    String id() {
        return id;
    }

    /** Whether this controller leads now (runs the pollers). */
    boolean leading() {
        return leading;
    }

    /**
     * Contends for the lead once; on a SQLite store held by another {@code hone serve}, refuses to start.
     *
     * @throws HoneException when another controller holds a store that takes one
     */
    void contend() {
        leading = leadership.lead();
        if (!leading && leadership.exclusive()) {
            leadership.close();
            throw new HoneException("another hone serve uses " + store + ": a SQLite store takes one hone serve at a"
                    + " time — stop the other one, or keep the store in PostgreSQL (store: jdbc:postgresql://…) to"
                    + " run more than one on it");
        }
        if (!leadership.exclusive()) {
            console.println("hone: controller " + id + " (lease " + settings.lease().toSeconds() + "s): "
                    + (leading ? "it leads, and polls" : "another controller leads, and polls"));
        }
    }

    /** Renews, takes over and contends every {@code controller.renew}, from now on. */
    void start() {
        long period = settings.renew().toMillis();
        ticker.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /** One round: renew this controller's leases, take over expired ones, contend for the lead. */
    void tick() {
        try {
            store.queue().renew(id, clock.instant().plus(settings.lease()));
        } catch (RuntimeException e) {
            LOG.warn("event=leases_not_renewed controller={} reason=\"{}\"", id, e.toString());
        }
        try {
            List<Long> taken = Recovery.takeOver(store, dataDir, source -> watchlist.bySource(source).isPresent(),
                    scheduler::has, clock);
            if (!taken.isEmpty()) {
                console.println("hone: took over " + (taken.size() == 1 ? "run " : "runs ") + taken
                        + " whose controller stopped renewing its lease");
                scheduler.wake();
            }
        } catch (RuntimeException e) {
            LOG.warn("event=take_over_failed controller={} reason=\"{}\"", id, e.toString());
        }
        boolean was = leading;
        leading = leadership.lead();
        if (leading != was) {
            LOG.info("event=leadership controller={} leading={}", id, leading);
            console.println("hone: controller " + id + (leading ? " leads now, and polls" : " no longer leads"));
        }
    }

    /** Stops the rounds and gives the lead up, for another controller to take. */
    void stop() {
        ticker.shutdownNow();
        leading = false;
        leadership.close();
    }
}
