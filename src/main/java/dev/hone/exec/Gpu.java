package dev.hone.exec;

/** One GPU of this machine as {@code nvidia-smi} lists it: its index, its UUID ({@code GPU-…}), name and memory. */
public record Gpu(int index, String uuid, String name, long memoryBytes) {}
