/**
 * Telling people what happened: the {@link dev.hone.notify.Event}s of a run and the channels that deliver them —
 * console, email (SMTP), Slack-compatible incoming webhooks, a signed JSON webhook, and commit statuses on GitHub
 * and GitLab — each a {@link dev.hone.notify.Notifier} built by {@link dev.hone.notify.Channels} from the
 * installation's and the repository's {@code notify:}.
 *
 * <p>Delivery goes through the store's outbox: the {@link dev.hone.notify.Dispatcher} writes every notification
 * there before anything is sent, the {@link dev.hone.notify.Courier} sends each on its own thread, claims it before
 * every attempt so it is never sent twice, retries with a doubling backoff, and records each outcome; a restarted
 * Hone finishes what was left. Messages never show a secret or a webhook URL, and errors name an endpoint only as
 * {@code scheme://host/…}. Angus Mail and the HTTP client stay inside this package.
 */
package dev.hone.notify;
