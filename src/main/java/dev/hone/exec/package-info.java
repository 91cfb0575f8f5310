/**
 * Where training commands run, and what they see. An {@link dev.hone.exec.Executor} opens a session per run over
 * the run's {@link dev.hone.exec.Workspace} and runs commands in it with a timeout, streaming their output and
 * killing their whole process tree when stopped; {@link dev.hone.exec.LocalExecutor} runs them on this machine.
 * {@link dev.hone.exec.TrialContract} is the trial contract: the variables, parameter file and command placeholders
 * a training program gets. {@link dev.hone.exec.Containers} runs long-lived containers (a served model) as records;
 * both are implemented over Docker in {@code dev.hone.exec.docker}.
 */
package dev.hone.exec;
