package dev.hone.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;

/**
 * One file's change as git prints it ({@code diff --git a/x b/x} header, mode lines, then a unified diff, or
 * "Binary files differ"), between two files that need not be in a repository.
 */
public final class GitDiff {

    private GitDiff() {}

    /**
     * Writes how {@code after} differs from {@code before} under the name {@code path} ('/'-separated); nothing when
     * they are the same. A missing file is an added or deleted one.
     */
    public static void write(OutputStream out, String path, Path before, Path after) throws IOException {
        boolean existed = Files.isRegularFile(before, LinkOption.NOFOLLOW_LINKS);
        boolean exists = Files.isRegularFile(after, LinkOption.NOFOLLOW_LINKS);
        String oldMode = existed ? mode(before) : null;
        String newMode = exists ? mode(after) : null;
        if (existed && exists && oldMode.equals(newMode) && Files.mismatch(before, after) == -1) {
            return; // compared as streams: an unchanged data file is never loaded whole
        }
        byte[] a = existed ? Files.readAllBytes(before) : new byte[0];
        byte[] b = exists ? Files.readAllBytes(after) : new byte[0];
        StringBuilder header = new StringBuilder("diff --git a/" + path + " b/" + path + "\n");
        if (!existed) {
            header.append("new file mode ").append(newMode).append('\n');
        } else if (!exists) {
            header.append("deleted file mode ").append(oldMode).append('\n');
        } else if (!oldMode.equals(newMode)) {
            header.append("old mode ").append(oldMode).append("\nnew mode ").append(newMode).append('\n');
        }
        if (!Arrays.equals(a, b)) {
            if (RawText.isBinary(a) || RawText.isBinary(b)) {
                header.append("Binary files differ\n");
            } else {
                header.append("--- ").append(existed ? "a/" + path : "/dev/null").append('\n');
                header.append("+++ ").append(exists ? "b/" + path : "/dev/null").append('\n');
            }
        }
        out.write(header.toString().getBytes(StandardCharsets.UTF_8));
        if (!Arrays.equals(a, b) && !RawText.isBinary(a) && !RawText.isBinary(b)) {
            RawText left = new RawText(a);
            RawText right = new RawText(b);
            EditList edits = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
                    .diff(RawTextComparator.DEFAULT, left, right);
            try (DiffFormatter formatter = new DiffFormatter(out)) {
                formatter.format(edits, left, right);
                formatter.flush();
            }
        }
    }

    /**
     * How text {@code after} differs from text {@code before}, as the hunks of a unified diff ({@code @@} lines,
     * then lines starting with a space, {@code -} or {@code +}) with {@code context} lines around each change; empty
     * when they are the same. A null text is an empty one.
     */
    public static String unified(String before, String after, int context) {
        RawText left = new RawText(before == null ? new byte[0] : before.getBytes(StandardCharsets.UTF_8));
        RawText right = new RawText(after == null ? new byte[0] : after.getBytes(StandardCharsets.UTF_8));
        EditList edits = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
                .diff(RawTextComparator.DEFAULT, left, right);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DiffFormatter formatter = new DiffFormatter(out)) {
            formatter.setContext(context);
            formatter.format(edits, left, right);
            formatter.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a diff to memory", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String mode(Path file) {
        return Files.isExecutable(file) ? "100755" : "100644";
    }
}
