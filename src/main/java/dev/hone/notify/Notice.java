package dev.hone.notify;

/**
 * One event on its way through one channel: what a {@link Notifier} sends.
 *
 * @param runId the run it is about; null outside a run ({@code hone notify test})
 * @param link  the run's page when {@code public_url} is set, else null
 * @param key   the idempotency key, the same on every attempt and after a restart: receivers that see it twice
 *              (the mail's {@code Message-ID}, the webhook's {@code X-Hone-Delivery}) can tell it is one message
 */
public record Notice(Long runId, Event event, String link, String key) {}
