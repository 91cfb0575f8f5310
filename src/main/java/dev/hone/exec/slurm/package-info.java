/**
 * Training on a Slurm cluster: {@link dev.hone.exec.slurm.SlurmExecutor} runs each trial (and each other command of a
 * run) as one batch job submitted with {@code sbatch}, named {@code hone-<project>-r<run>-t<trial>}, its environment
 * in a file of its own the job sources (never on a command line), its output tailed from the run directory, which the
 * nodes must share with Hone's host. The job's state is read with {@code squeue} and {@code scontrol}, never
 * {@code sacct} alone; a job its node lost ({@code NODE_FAIL}, {@code PREEMPTED}, {@code BOOT_FAIL}) is submitted
 * again under its number. The only package that runs Slurm's commands.
 */
package dev.hone.exec.slurm;
