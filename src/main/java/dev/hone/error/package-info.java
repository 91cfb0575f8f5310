/**
 * The one unchecked root of Hone's own failures, {@link dev.hone.error.HoneException}. A leaf: it imports
 * nothing of Hone, so every package may throw it without depending on the composition root in {@code dev.hone}.
 */
package dev.hone.error;
