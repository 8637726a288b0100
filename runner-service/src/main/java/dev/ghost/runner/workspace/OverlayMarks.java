package dev.ghost.runner.workspace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/** overlayfs's on-disk marks in an upper layer, as unprivileged mounts ({@code userxattr}) write them. */
public final class OverlayMarks {

    private static final String OPAQUE = "overlay.opaque";
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

    private OverlayMarks() {
    }

    /** overlayfs marks a deletion with a character device numbered 0/0. */
    public static boolean isWhiteout(Path path, BasicFileAttributes attributes) throws IOException {
        if (!attributes.isOther()) {
            return false;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        long device = (Long) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
        return (mode & S_IFMT) == S_IFCHR && device == 0;
    }

    public static boolean isOpaque(Path directory) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(directory, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        try {
            if (view == null || !view.list().contains(OPAQUE)) {
                return false;
            }
            ByteBuffer value = ByteBuffer.allocate(view.size(OPAQUE));
            view.read(OPAQUE, value);
            value.flip();
            return StandardCharsets.US_ASCII.decode(value).toString().equals("y");
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    public static void setOpaque(Path directory) throws IOException {
        Files.getFileAttributeView(directory, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .write(OPAQUE, StandardCharsets.US_ASCII.encode("y"));
    }
}
