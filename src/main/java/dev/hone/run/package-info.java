/**
 * The vocabulary of a run, as the store keeps it and the summary, the API and the dashboard show it: a run's
 * {@link dev.hone.run.RunStatus} (live or ended, and the exit code of {@code hone run}), the events of its log
 * ({@link dev.hone.run.RunEvent}, each knowing its type word and building its message), the events its channels
 * can be told of ({@link dev.hone.run.Notifiable}, the words of {@code notify.on}) and how a notification's
 * delivery stands ({@link dev.hone.run.DeliveryStatus}), and what a trial used ({@link dev.hone.run.Usage}, measured
 * by its executor). Each word of DESIGN §1 is spelled once, here. A leaf: it
 * imports no other Hone package, so that every package may speak it.
 */
package dev.hone.run;
