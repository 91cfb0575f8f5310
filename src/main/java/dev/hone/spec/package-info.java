/**
 * {@code hone.yaml}, the repository's pipeline (DESIGN §2): the {@link dev.hone.spec.Spec} records every other
 * package reads, and {@link dev.hone.spec.SpecLoader}, which turns the file into them. Loading checks everything
 * at once — types, enums, durations, sizes, {@code ${VAR}} references, unknown keys, settings that contradict each
 * other — and reports each mistake with its line, column and key ({@link dev.hone.spec.Problem}) in one
 * {@link dev.hone.spec.InvalidSpecException}, so no run starts on a configuration it cannot finish.
 * {@code schema/hone.schema.json} describes the same file for editors.
 */
package dev.hone.spec;
