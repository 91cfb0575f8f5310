/**
 * When a container that stopped is started again: {@link dev.hone.restart.RestartPolicy} ({@code on-failure |
 * always | never}, {@code max_restarts}, an exponential back-off with a cap of your choosing, reset after a healthy
 * period) and {@link dev.hone.restart.Supervisor}, which applies it start after start on an injected clock. Used by
 * the workspace containers of {@code dev.hone.exec.docker} and by {@code dev.hone.serving}; imports no other Hone
 * package but {@code dev.hone.time}.
 */
package dev.hone.restart;
