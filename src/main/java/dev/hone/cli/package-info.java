/** The command line (picocli): run, demo, init, validate, runs, trials. Translates failures into exit codes. */
package dev.hone.cli;
