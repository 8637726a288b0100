package dev.ghost.runner.summary;

import java.util.List;

import dev.ghost.runner.patch.PatchRecord;
import dev.ghost.runner.patch.PatchRecord.FileChange;
import dev.ghost.runner.patch.PatchRecord.StepRecord;

/** A patch record as Markdown for people: outcome, files changed, each command with exit code, duration and output tail. */
public final class SummaryRenderer {

    private SummaryRenderer() {
    }

    public static String render(PatchRecord record) {
        StringBuilder md = new StringBuilder();
        md.append("# Patch `").append(record.getId()).append("`: ").append(record.getStatus()).append('\n').append('\n');
        if (record.getDescription() != null) {
            md.append("> ").append(record.getDescription().replace("\n", "\n> ")).append("\n\n");
        }
        md.append("- target: `").append(record.getTarget()).append("` on runner `").append(record.getRunner()).append("`\n");
        md.append("- submitted ").append(record.getSubmittedAt());
        if (record.getSubmittedBy() != null) {
            md.append(" by ").append(record.getSubmittedBy());
        }
        md.append('\n');
        if (record.getDurationMs() != null) {
            md.append("- took ").append(duration(record.getDurationMs())).append('\n');
        }
        if (record.getStatus().terminal()) {
            md.append("- rolled back: ").append(record.isRolledBack() ? "yes, every touched file was restored" : "no").append('\n');
        }
        md.append("- hash: `").append(record.getHash()).append("`\n");
        if (record.getError() != null) {
            md.append("\n**Error:** ").append(record.getError()).append('\n');
        }
        for (String warning : record.getWarnings()) {
            md.append("\n_Warning:_ ").append(warning).append('\n');
        }

        md.append("\n## Files changed\n\n");
        List<FileChange> files = record.getFilesChanged();
        if (files.isEmpty()) {
            md.append("None.\n");
        } else {
            md.append("| file | change | + | - |\n|---|---|---:|---:|\n");
            for (FileChange file : files) {
                md.append("| `").append(cell(file.path())).append("` | ").append(file.change()).append(" | ")
                        .append(file.added()).append(" | ").append(file.removed()).append(" |\n");
            }
            if (record.isRolledBack()) {
                md.append("\n(These changes were made, then rolled back.)\n");
            }
        }

        md.append("\n## Steps\n\n");
        if (record.getSteps().isEmpty()) {
            md.append("None ran.\n");
        } else {
            md.append("| phase | # | step | result | exit | duration |\n|---|---:|---|---|---:|---:|\n");
            for (StepRecord step : record.getSteps()) {
                md.append("| ").append(step.phase()).append(" | ").append(step.index()).append(" | `")
                        .append(cell(step.command() != null ? step.command() : step.path())).append("` | ")
                        .append(step.outcome()).append(" | ").append(step.exitCode() == null ? "" : step.exitCode())
                        .append(" | ").append(duration(step.durationMs())).append(" |\n");
            }
            for (StepRecord step : record.getSteps()) {
                if (step.command() == null) {
                    continue;
                }
                md.append("\n### ").append(step.phase()).append(" #").append(step.index()).append(": `")
                        .append(step.command().replace("`", "'")).append("`\n\n");
                md.append("Exit ").append(step.exitCode() == null ? "none (killed: " + step.outcome() + ")" : step.exitCode())
                        .append(" after ").append(duration(step.durationMs()));
                if (step.outputBytes() != null) {
                    md.append(", ").append(step.outputBytes()).append(" bytes of output");
                }
                md.append(".\n\n");
                if (step.outputTail() != null && !step.outputTail().isEmpty()) {
                    String fence = step.outputTail().contains("```") ? "~~~~" : "```";
                    md.append(fence).append('\n').append(step.outputTail());
                    if (!step.outputTail().endsWith("\n")) {
                        md.append('\n');
                    }
                    md.append(fence).append('\n');
                }
            }
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String duration(long millis) {
        return millis < 1000 ? millis + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
