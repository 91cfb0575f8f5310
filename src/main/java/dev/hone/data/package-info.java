/**
 * The data directory's layout ({@code ~/.hone}, or {@code --data}): the one place that names its files and
 * directories. {@link dev.hone.data.DataDir} holds the store, the runs, the projects' models, the repository mirrors
 * and the queued runs' checkouts; {@link dev.hone.data.RunDir} one run's workspace (with its pristine copy and
 * checkpoints), owner file, rebuild logs and trials; {@link dev.hone.data.TrialDir} one trial's parameters, output,
 * log and workspace diff. {@link dev.hone.data.DataDir#delete(java.nio.file.Path)} is the one recursive delete.
 * Everything else asks these types for a path and depends on nothing here but the JDK.
 */
package dev.hone.data;
