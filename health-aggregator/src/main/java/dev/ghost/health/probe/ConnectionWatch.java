package dev.ghost.health.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one idle TCP connection to each watched instance, all on one selector thread, and
 * reports an instance as soon as its connection closes. A process that exits (crash, kill,
 * shutdown) closes its sockets at once, so this notices death in milliseconds instead of at the
 * next poll, at the cost of one idle socket per instance. A close is only a hint: servers also
 * close idle connections, so the caller confirms with a real probe before believing it.
 * A hung process keeps its sockets open; the regular poll's timeout catches that.
 */
public final class ConnectionWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectionWatch.class);

    private final Selector selector;
    private final Consumer<String> onClosed;
    private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private final Map<String, SelectionKey> keys = new ConcurrentHashMap<>();
    private final ByteBuffer scratch = ByteBuffer.allocate(512);
    private final Thread thread;
    private volatile boolean running = true;

    /** @param onClosed called with the instance id, on the watch thread; must return quickly */
    public ConnectionWatch(Consumer<String> onClosed) {
        this.onClosed = onClosed;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = new Thread(this::loop, "health-watch");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts watching the instance unless it already is watched. */
    public void watch(String id, String host, int port) {
        submit(() -> {
            if (keys.containsKey(id)) {
                return;
            }
            try {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                boolean connected = channel.connect(new InetSocketAddress(host, port));
                SelectionKey key = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, id);
                keys.put(id, key);
            } catch (IOException | RuntimeException e) {
                onClosed.accept(id);
            }
        });
    }

    public void unwatch(String id) {
        submit(() -> {
            SelectionKey key = keys.remove(id);
            if (key != null) {
                closeQuietly(key);
            }
        });
    }

    /** Number of connections currently held (for tests and the actuator). */
    public int watched() {
        return keys.size();
    }

    private void submit(Runnable change) {
        pending.add(change);
        selector.wakeup();
    }

    private void loop() {
        while (running) {
            try {
                selector.select();
                Runnable change;
                while ((change = pending.poll()) != null) {
                    change.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("Connection watch: {}", e.toString());
            }
        }
    }

    private void handle(SelectionKey key) {
        String id = (String) key.attachment();
        SocketChannel channel = (SocketChannel) key.channel();
        try {
            if (key.isValid() && key.isConnectable()) {
                channel.finishConnect();
                key.interestOps(SelectionKey.OP_READ);
                return;
            }
            if (key.isValid() && key.isReadable()) {
                scratch.clear();
                if (channel.read(scratch) >= 0) {
                    return; // a server that talks first; nothing to see
                }
            }
        } catch (IOException e) {
            // refused or reset: the same as closed
        }
        lost(id, key);
    }

    private void lost(String id, SelectionKey key) {
        closeQuietly(key);
        if (keys.get(id) == key) {
            keys.remove(id);
            onClosed.accept(id);
        }
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // closing a socket we no longer want
        }
    }

    @Override
    public void close() {
        running = false;
        submit(() -> keys.values().forEach(ConnectionWatch::closeQuietly));
        try {
            thread.join(1000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.debug("closing selector", e);
        }
    }
}
