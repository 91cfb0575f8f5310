/**
 * What {@code hone serve} logs, and how: {@link dev.hone.logging.ServerLog} points logback (the only place its types
 * appear) at the server's output as text lines (ISO time, level, logger, run and trial, message) or JSON lines
 * ({@code --log-format json}: logback's {@code JsonEncoder}), every installation secret masked in what is written;
 * its {@link dev.hone.logging.ServerLog#console() console} turns what the server says into log events. The run and
 * trial of an event come from SLF4J's MDC under {@link dev.hone.logging.LogFormat#RUN} and
 * {@link dev.hone.logging.LogFormat#TRIAL}, set where a run or a trial executes.
 */
package dev.hone.logging;
