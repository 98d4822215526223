package tandem.proxy.backend;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import tandem.core.store.WireEndpoint;

/**
 * One authenticated protocol connection from tandem to a PostgreSQL store. It remembers what
 * tandem changed on it — settings applied for clients, statements prepared under tandem's names —
 * so that a connection handed from one client to the next can be brought to the new client's state
 * with the fewest round trips.
 */
public final class BackendConnection {

    private static final int NONE = -1;

    private final Channel channel;
    private final WireEndpoint endpoint;
    private final String storeName;
    private final StartupParameters startup;
    private final int processId;
    private final int secretKey;
    private final Map<String, String> serverParameters;
    private final Map<String, String> appliedSettings = new HashMap<>();
    private final PreparedNames prepared;
    private final long createdNanos = System.nanoTime();

    private volatile BackendListener listener;
    private Runnable closeHook = () -> { };
    private boolean closed;
    /** Guarded by the pool's lock. */
    PoolState poolState = PoolState.ACTIVE;
    private Object settingsOwner;
    private long settingsVersion = NONE;
    private Object unnamedOwner;
    private long idleSinceNanos = System.nanoTime();

    BackendConnection(Channel channel, WireEndpoint endpoint, String storeName, StartupParameters startup,
            int processId, int secretKey, Map<String, String> serverParameters, int maxPreparedStatements) {
        this.channel = channel;
        this.endpoint = endpoint;
        this.storeName = storeName;
        this.startup = startup;
        this.processId = processId;
        this.secretKey = secretKey;
        this.serverParameters = new LinkedHashMap<>(serverParameters);
        this.prepared = new PreparedNames(maxPreparedStatements);
    }

    public Channel channel() {
        return channel;
    }

    public EventLoop loop() {
        return channel.eventLoop();
    }

    public WireEndpoint endpoint() {
        return endpoint;
    }

    public String storeName() {
        return storeName;
    }

    /** The client settings this connection was opened with: its reset values, and its key in the pool. */
    public StartupParameters startup() {
        return startup;
    }

    public int processId() {
        return processId;
    }

    public int secretKey() {
        return secretKey;
    }

    public boolean isActive() {
        return channel.isActive();
    }

    public boolean isWritable() {
        return channel.isWritable();
    }

    /** The server's ParameterStatus values as last reported on this connection. */
    public Map<String, String> serverParameters() {
        return serverParameters;
    }

    /**
     * Settings tandem applied on top of the connection's own (its startup parameters, or the
     * server's defaults): name to the SQL that set it.
     */
    public Map<String, String> appliedSettings() {
        return appliedSettings;
    }

    /** Statement names tandem prepared on this connection. */
    public PreparedNames prepared() {
        return prepared;
    }

    /** Whether this connection holds {@code owner}'s settings as of {@code version}; a cheap check before a full diff. */
    public boolean settingsMatch(Object owner, long version) {
        return settingsOwner == owner && settingsVersion == version;
    }

    public void settingsSynced(Object owner, long version) {
        settingsOwner = owner;
        settingsVersion = version;
    }

    public void forgetSettings() {
        appliedSettings.clear();
        settingsOwner = null;
        settingsVersion = NONE;
    }

    /** The unnamed statement is per connection: this says whose Parse it holds. */
    public Object unnamedOwner() {
        return unnamedOwner;
    }

    public void unnamedOwner(Object owner) {
        unnamedOwner = owner;
    }

    BackendListener listener() {
        return listener;
    }

    void attach(BackendListener newListener) {
        listener = newListener;
    }

    void detach() {
        listener = null;
        idleSinceNanos = System.nanoTime();
    }

    void onClose(Runnable hook) {
        closeHook = hook;
    }

    /** Runs once, whoever notices first that the channel is gone. */
    void onClosed() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeHook.run();
    }

    long ageNanos(long now) {
        return now - createdNanos;
    }

    long idleNanos(long now) {
        return now - idleSinceNanos;
    }

    /** Writes and flushes bytes toward the server; ownership of {@code bytes} passes to Netty. */
    public void send(ByteBuf bytes) {
        channel.writeAndFlush(bytes, channel.voidPromise());
    }

    /** Queues bytes toward the server without flushing; ownership passes to Netty. */
    public void write(ByteBuf bytes) {
        channel.write(bytes, channel.voidPromise());
    }

    public void flush() {
        channel.flush();
    }

    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "backend[" + storeName + " pid=" + processId + " " + endpoint.address() + "]";
    }

    enum PoolState {
        IDLE, ACTIVE, GONE
    }

    /** Statement names prepared on one connection, least recently used first, bounded. */
    public static final class PreparedNames {

        private final int capacity;
        private final LinkedHashMap<String, Boolean> names = new LinkedHashMap<>(64, 0.75f, true);

        PreparedNames(int capacity) {
            this.capacity = capacity;
        }

        public boolean contains(String name) {
            return names.get(name) != null;
        }

        public void add(String name) {
            names.put(name, Boolean.TRUE);
        }

        public void remove(String name) {
            names.remove(name);
        }

        public void clear() {
            names.clear();
        }

        public int size() {
            return names.size();
        }

        /** The least recently used name if the connection holds more than it should, else null. */
        public String overflow() {
            if (names.size() <= capacity) {
                return null;
            }
            return names.keySet().iterator().next();
        }
    }
}
