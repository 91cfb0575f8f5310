/** Git: what commit a checkout is at (JGit); later clone, fetch, polling and webhook receivers. */
package dev.hone.source;
