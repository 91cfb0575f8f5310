/**
 * Zero configuration: what a checkout is. Finds the training entrypoint ({@code main.py}, else {@code train.py})
 * and the ML framework from the code's imports; the environment's image is chosen from the framework.
 */
package dev.hone.detect;
