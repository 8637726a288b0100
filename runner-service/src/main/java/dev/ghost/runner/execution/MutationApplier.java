package dev.ghost.runner.execution;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.PatchFailedException;

import dev.ghost.common.patch.Mutation;
import dev.ghost.runner.patch.PatchRecord.FileChange;
import dev.ghost.runner.workspace.Workspaces;

/** Applies mutations to a workspace; a mutation that cannot apply throws {@link MutationFailedException}. */
public class MutationApplier {

    /** A mutation that did not apply, in words a patch author can act on. */
    public static class MutationFailedException extends Exception {
        public MutationFailedException(String message) {
            super(message);
        }
    }

    public void apply(Path root, Mutation mutation) throws IOException, MutationFailedException {
        if (mutation instanceof Mutation.WriteFile write) {
            write(Workspaces.resolve(root, write.path()), write.contents());
        } else if (mutation instanceof Mutation.RegexReplace replace) {
            replace(root, replace);
        } else if (mutation instanceof Mutation.DeleteFile delete) {
            try {
                Files.delete(Workspaces.resolve(root, delete.path()));
            } catch (NoSuchFileException e) {
                throw new MutationFailedException("cannot delete '" + delete.path() + "': no such file");
            }
        } else if (mutation instanceof Mutation.UnifiedDiff diff) {
            for (Mutation.FileDiff file : diff.files()) {
                applyDiff(root, file);
            }
        }
    }

    private static void replace(Path root, Mutation.RegexReplace replace) throws IOException, MutationFailedException {
        Path file = Workspaces.resolve(root, replace.path());
        String text = readText(file, replace.path());
        Matcher matcher = Pattern.compile(replace.pattern()).matcher(text);
        if (!matcher.find()) {
            throw new MutationFailedException("pattern /" + replace.pattern() + "/ matches nothing in '" + replace.path() + "'");
        }
        String replaced;
        try {
            replaced = matcher.replaceAll(replace.replacement());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new MutationFailedException("replacement for '" + replace.path() + "' is invalid: " + e.getMessage());
        }
        write(file, replaced);
    }

    private static void applyDiff(Path root, Mutation.FileDiff diff) throws IOException, MutationFailedException {
        String name = diff.newPath() != null ? diff.newPath() : diff.oldPath();
        Text original = diff.oldPath() == null ? new Text(List.of(), true)
                : Text.of(readText(Workspaces.resolve(root, diff.oldPath()), diff.oldPath()));
        if (diff.oldPath() == null && Files.exists(Workspaces.resolve(root, diff.newPath()))) {
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
            Files.delete(Workspaces.resolve(root, diff.oldPath()));
            return;
        }
        write(Workspaces.resolve(root, diff.newPath()), new Text(patched, original.finalNewline()).join());
        if (diff.oldPath() != null && !diff.oldPath().equals(diff.newPath())) {
            Files.delete(Workspaces.resolve(root, diff.oldPath()));
        }
    }

    /** Writes in place (truncating), so an existing file keeps its mode and identity. */
    private static void write(Path file, String contents) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, contents, StandardCharsets.UTF_8);
    }

    private static String readText(Path file, String name) throws IOException, MutationFailedException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new MutationFailedException("'" + name + "' does not exist");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
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
}
