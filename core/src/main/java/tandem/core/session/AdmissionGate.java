package tandem.core.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Whether client sessions may start new transactions. Open, it admits every session at once and
 * counts those inside a transaction; closed (for a cutover), it holds each session that wants to
 * start one until it opens again, while those already inside finish theirs: {@link #close()}
 * completes when none is left inside, the moment at which no transaction spans both sides of the
 * change. Shared by every session of a server, whichever store they run on.
 */
public final class AdmissionGate {

    private boolean open = true;
    private int inside;
    private final List<Runnable> waiting = new ArrayList<>();
    private CompletableFuture<Void> drained;

    /**
     * A session starts a transaction (or a batch outside one): true when it may go on now; false
     * when the gate is closed, and then {@code whenOpen} runs once it opens, the session admitted.
     * Every admission is followed by one {@link #leave()}.
     */
    public boolean admit(Runnable whenOpen) {
        synchronized (this) {
            if (open) {
                inside++;
                return true;
            }
            waiting.add(whenOpen);
            return false;
        }
    }

    /**
     * As {@link #admit}, for a session on a thread of its own: blocks it until the gate opens. An
     * interrupt (the client canceled, or left) gives up the place in line, admitted or not.
     */
    public void admitWaiting() throws InterruptedException {
        CountDownLatch opened = new CountDownLatch(1);
        Runnable whenOpen = opened::countDown;
        if (admit(whenOpen)) {
            return;
        }
        try {
            opened.await();
        } catch (InterruptedException e) {
            synchronized (this) {
                if (waiting.remove(whenOpen)) {
                    throw e;
                }
            }
            leave(); // the gate opened just as it gave up
            throw e;
        }
    }

    /** The session's transaction ended (or its batch, outside one): it is between transactions. */
    public void leave() {
        CompletableFuture<Void> done = null;
        synchronized (this) {
            if (inside == 0) {
                throw new IllegalStateException("a session left the gate without having been admitted");
            }
            inside--;
            if (inside == 0 && drained != null) {
                done = drained;
                drained = null;
            }
        }
        if (done != null) {
            done.complete(null);
        }
    }

    /**
     * Stops admitting new transactions; completes when every session admitted before has left.
     * Closing a closed gate gives the same completion.
     */
    public CompletableFuture<Void> close() {
        synchronized (this) {
            open = false;
            if (inside == 0) {
                return CompletableFuture.completedFuture(null);
            }
            if (drained == null) {
                drained = new CompletableFuture<>();
            }
            return drained;
        }
    }

    /** Admits again: every session held while the gate was closed goes on, admitted. */
    public void open() {
        List<Runnable> resumed;
        synchronized (this) {
            open = true;
            inside += waiting.size();
            resumed = List.copyOf(waiting);
            waiting.clear();
        }
        resumed.forEach(Runnable::run);
    }

    public synchronized boolean isOpen() {
        return open;
    }

    /** Sessions inside a transaction now. */
    public synchronized int inside() {
        return inside;
    }

    /** Sessions held at the closed gate. */
    public synchronized int waiting() {
        return waiting.size();
    }
}
