package tandem.proxy.backend;

import java.util.ArrayDeque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.util.ReferenceCountUtil;
import tandem.core.session.AdmissionGate;
import tandem.proxy.wire.frontend.FrontendMessage;

/**
 * The session's place at the policy's {@link AdmissionGate}: admitted from the first message after
 * it was between transactions until it is between transactions again. While a cutover holds new
 * transactions back, the client is not read and the messages that came keep their order here
 * until the gate lets the session in.
 */
final class Admission {

    /** Logged as the relay, as before these parts were split out of it. */
    private static final Logger log = LoggerFactory.getLogger(RelayBackend.class);

    private final RelayState state;
    private final AdmissionGate gate;
    private boolean admitted;
    /** Messages that arrived while the gate held the session back, in order. */
    private final ArrayDeque<FrontendMessage> atGate = new ArrayDeque<>();

    Admission(RelayState state, AdmissionGate gate) {
        this.state = state;
        this.gate = gate;
    }

    boolean admitted() {
        return admitted;
    }

    /**
     * A session between transactions starts one (or a batch outside one): true when the gate admits
     * it now; otherwise the message waits here, reading stops, and {@code whenAdmitted} runs once
     * the gate lets the session in.
     */
    boolean admit(FrontendMessage message, Runnable whenAdmitted) {
        if (!atGate.isEmpty()) {
            atGate.add(message);
            return false;
        }
        if (gate.admit(whenAdmitted)) {
            admitted = true;
            return true;
        }
        log.debug("client {} waits to start a transaction: tandem holds new transactions back",
                state.session.processId());
        atGate.add(message);
        state.out.holdReading();
        return false;
    }

    /** The gate let the session in: returns whether its held messages go on (the client is still there). */
    boolean admittedAfterWait() {
        admitted = true;
        if (state.closed) {
            leave();
            return false;
        }
        state.out.releaseReading();
        return true;
    }

    /** The next message held at the gate, or null. */
    FrontendMessage nextHeld() {
        return atGate.poll();
    }

    /** The session is between transactions, owing and owed nothing: its place is given up. */
    void leave() {
        if (admitted) {
            admitted = false;
            gate.leave();
        }
    }

    /** The client left: what waited at the gate is dropped and the place given up. */
    void close() {
        atGate.forEach(ReferenceCountUtil::release);
        atGate.clear();
        leave();
    }
}
