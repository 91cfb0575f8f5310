/**
 * Hone's two configuration files, read into records every other package uses. {@code hone.yaml}, the repository's
 * pipeline (DESIGN §2), becomes a {@link dev.hone.spec.Spec} through {@link dev.hone.spec.SpecLoader};
 * {@code hone-server.yaml}, the installation's settings (DESIGN §2b), becomes a {@link dev.hone.spec.ServerSpec}
 * through {@link dev.hone.spec.ServerSpecLoader}. Both loaders check everything at once — types, enums, durations,
 * sizes, {@code ${VAR}} references, unknown keys (with a "did you mean"), settings that contradict each other — and
 * report each mistake with its line, column and key ({@link dev.hone.spec.Problem}) in one
 * {@link dev.hone.spec.InvalidSpecException}, so nothing starts on a configuration it cannot finish. Secrets never
 * appear in a message or a {@code toString}. {@code schema/hone.schema.json} and
 * {@code schema/hone-server.schema.json} describe the same files for editors.
 */
package dev.hone.spec;
