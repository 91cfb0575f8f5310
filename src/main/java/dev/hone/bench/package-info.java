/** {@code hone bench …}: measurements of Hone itself, run on demand, whose figures go in docs/benchmarks.md. */
package dev.hone.bench;
