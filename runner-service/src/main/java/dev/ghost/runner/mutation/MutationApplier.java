package dev.ghost.runner.mutation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.PatchFailedException;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import dev.ghost.common.patch.Mutation;
import dev.ghost.runner.patch.PatchRecord.FileChange;
import dev.ghost.runner.workspace.WorkspaceFiles;
import dev.ghost.runner.workspace.WorkspaceFiles.UnsafePathException;

/**
 * Applies mutations to a patch's view of its workspace; a mutation that cannot apply throws
 * {@link MutationFailedException}. Patterns run on RE2/J, whose matching time is linear in the
 * text, and the text they read checks {@code stopped} as it is read, so a timeout or a cancel ends
 * even a long match.
 */
public class MutationApplier {

    /** A mutation that did not apply, in words a patch author can act on. */
    public static class MutationFailedException extends Exception {
        public MutationFailedException(String message) {
            super(message);
        }
    }

    /** The patch was told to stop (timeout, cancel) while a mutation was being applied. */
    public static class StoppedException extends RuntimeException {
        StoppedException() {
            super("stopped while applying a mutation", null, false, false);
        }
    }

    private final BooleanSupplier stopped;

    public MutationApplier(BooleanSupplier stopped) {
        this.stopped = stopped;
    }

    public void apply(WorkspaceFiles files, Mutation mutation) throws IOException, MutationFailedException {
        try {
            if (mutation instanceof Mutation.WriteFile write) {
                files.write(write.path(), write.contents().getBytes(StandardCharsets.UTF_8));
            } else if (mutation instanceof Mutation.RegexReplace replace) {
                replace(files, replace);
            } else if (mutation instanceof Mutation.DeleteFile delete) {
                if (!files.delete(delete.path())) {
                    throw new MutationFailedException("cannot delete '" + delete.path() + "': no such file");
                }
            } else if (mutation instanceof Mutation.UnifiedDiff diff) {
                for (Mutation.FileDiff file : diff.files()) {
                    applyDiff(files, file);
                }
            }
        } catch (UnsafePathException e) {
            throw new MutationFailedException(e.getMessage());
        }
    }

    private void replace(WorkspaceFiles files, Mutation.RegexReplace replace)
            throws IOException, MutationFailedException, UnsafePathException {
        String text = readText(files, replace.path());
        Matcher matcher = Pattern.compile(replace.pattern()).matcher(new StoppableText(text, stopped));
        if (!matcher.find()) {
            throw new MutationFailedException("pattern /" + replace.pattern() + "/ matches nothing in '" + replace.path() + "'");
        }
        String replaced;
        try {
            replaced = matcher.replaceAll(replace.replacement());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new MutationFailedException("replacement for '" + replace.path() + "' is invalid: " + e.getMessage());
        }
        files.write(replace.path(), replaced.getBytes(StandardCharsets.UTF_8));
    }

    private static void applyDiff(WorkspaceFiles files, Mutation.FileDiff diff)
            throws IOException, MutationFailedException, UnsafePathException {
        String name = diff.newPath() != null ? diff.newPath() : diff.oldPath();
        Text original = diff.oldPath() == null ? new Text(List.of(), true) : Text.of(readText(files, diff.oldPath()));
        if (diff.oldPath() == null && files.exists(diff.newPath())) {
            throw new MutationFailedException("diff creates '" + diff.newPath() + "', which already exists");
        }
        List<String> patched;
        try {
            patched = diff.hunks().applyTo(original.lines());
        } catch (PatchFailedException | RuntimeException e) {
            throw new MutationFailedException("diff does not apply to '" + name + "': " + e.getMessage());
        }
        if (diff.newPath() == null) {
            if (!patched.isEmpty()) {
                throw new MutationFailedException("diff deletes '" + diff.oldPath() + "' but does not remove all of its lines");
            }
            files.delete(diff.oldPath());
            return;
        }
        files.write(diff.newPath(), new Text(patched, original.finalNewline()).join().getBytes(StandardCharsets.UTF_8));
        if (diff.oldPath() != null && !diff.oldPath().equals(diff.newPath())) {
            files.delete(diff.oldPath());
        }
    }

    private static String readText(WorkspaceFiles files, String name) throws IOException, MutationFailedException, UnsafePathException {
        byte[] bytes = files.read(name);
        if (bytes == null) {
            throw new MutationFailedException("'" + name + "' does not exist");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MutationFailedException("'" + name + "' is not UTF-8 text; text mutations would corrupt it");
        }
    }

    /** Lines changed between two versions of a file (null = absent), for the summary. */
    public static FileChange change(String path, byte[] before, byte[] after) {
        List<String> old = before == null ? List.of() : Text.of(new String(before, StandardCharsets.UTF_8)).lines();
        List<String> now = after == null ? List.of() : Text.of(new String(after, StandardCharsets.UTF_8)).lines();
        int added = 0;
        int removed = 0;
        for (AbstractDelta<String> delta : DiffUtils.diff(old, now).getDeltas()) {
            added += delta.getTarget().size();
            removed += delta.getSource().size();
        }
        String kind = before == null ? "created" : after == null ? "deleted" : "modified";
        return new FileChange(path, kind, added, removed);
    }

    /** A text as lines (without terminators) and whether it ended with a newline, as diffs see it. */
    record Text(List<String> lines, boolean finalNewline) {
        static Text of(String text) {
            if (text.isEmpty()) {
                return new Text(List.of(), true);
            }
            boolean finalNewline = text.endsWith("\n");
            String body = finalNewline ? text.substring(0, text.length() - 1) : text;
            return new Text(new ArrayList<>(Arrays.asList(body.split("\n", -1))), finalNewline);
        }

        String join() {
            if (lines.isEmpty()) {
                return "";
            }
            return String.join("\n", lines) + (finalNewline ? "\n" : "");
        }
    }

    /** The text a pattern reads; every few thousand characters it asks whether the patch must stop. */
    private static final class StoppableText implements CharSequence {
        private static final int CHECK_EVERY = 4096;
        private final String text;
        private final BooleanSupplier stopped;
        private int reads;

        StoppableText(String text, BooleanSupplier stopped) {
            this.text = text;
            this.stopped = stopped;
        }

        @Override
        public char charAt(int index) {
            if (++reads % CHECK_EVERY == 0 && stopped.getAsBoolean()) {
                throw new StoppedException();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
