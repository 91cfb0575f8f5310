package dev.hone.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Notifier} channel promises, run by each one against its real receiver (as every executor runs
 * {@code exec.ExecutorContract}): each event it accepts reaches the receiver once with the run's link; its route
 * and the detail it records name no secret of its configuration; a delivery that fails throws a
 * {@link DeliveryException} whose message names no secret either (a route says which configured instance of a
 * channel it is, so that another process can finish a delivery). A channel added later extends this class.
 */
abstract class NotifierContract {

    static final String LINK = "https://hone.example.com/runs/7";

    /** The channel under test, configured with {@link #secrets()} and pointed at this test's receiver. */
    abstract Notifier notifier() throws Exception;

    /** The values of its configuration that must never be shown: tokens, passwords, webhook URLs' paths. */
    abstract List<String> secrets();

    /** Where the tests' commits come from: a repository this channel serves. */
    Event.Origin origin() {
        return Events.ORIGIN;
    }

    /** What reached the receiver so far, one text per delivery. */
    abstract List<String> received() throws Exception;

    /** Makes the receiver refuse or drop what comes next. */
    abstract void breakReceiver() throws Exception;

    /** Every kind of event a run raises, each from {@link #origin()} ({@code hone notify test}'s message aside). */
    private List<Event> everyKind() {
        Event.Origin origin = origin();
        return List.of(Events.trainingFailed(origin), Events.targetReached(origin), Events.targetMissed(origin),
                new Event.RebuildFailed(origin, "rebuild.py failed (exit 2): KeyError: 'layers'", List.of()),
                new Event.ContainerRestarted(origin, "hone-digits-serve", 2, 5, "exited with code 137", List.of()),
                new Event.ContainerGaveUp(origin, "hone-digits-serve", 5, "exited with code 1", List.of()),
                new Event.JobRequeued(origin, "hone-digits-r7-t3", 1, "job 812 lost: NODE_FAIL (NodeDown)",
                        List.of()), Events.regression(origin), Events.modelKept(origin), Events.rolledBack(origin));
    }

    @Test
    void deliversEachEventItAcceptsOnceWithTheRunsLink() throws Exception {
        Notifier notifier = notifier();
        List<Event> accepted = everyKind().stream().filter(notifier::accepts).toList();
        assertThat(accepted).as("the events this channel takes").isNotEmpty();

        for (Event event : accepted) {
            String detail = notifier.send(Events.notice(event));
            assertThat(detail).as("the detail recorded for " + event.type()).isNotBlank();
        }

        List<String> received = received();
        assertThat(received).hasSize(accepted.size());
        assertThat(received).allSatisfy(text -> assertThat(text).contains(LINK));
    }

    @Test
    void itsRouteAndDetailsNameNoSecret() throws Exception {
        Notifier notifier = notifier();
        String route = notifier.route();
        String detail = notifier.send(Events.notice(everyKind().stream().filter(notifier::accepts).findFirst()
                .orElseThrow()));

        assertThat(List.of(route, detail)).allSatisfy(text -> assertThat(secrets()).noneMatch(text::contains));
    }

    @Test
    void aFailedDeliveryThrowsADeliveryExceptionThatNamesNoSecret() throws Exception {
        Notifier notifier = notifier();
        breakReceiver();

        assertThatThrownBy(() -> notifier.send(Events.notice(Events.trainingFailed(origin()))))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(secrets())
                        .as("secrets in: " + e.getMessage()).noneMatch(e.getMessage()::contains));
    }
}
