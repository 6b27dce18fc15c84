package org.esm2j.run;

/**
 * The device's library refused a call as invalid (the CUDA library's {@code ESM2J_ERROR_INVALID_ARGUMENT}): esm2j
 * asked for something outside the library's contract, which is a bug of ours, not of the user's input. The device is
 * taken out like a failed one (its work goes to the others); the message names the call, the value and the limit,
 * as the library reported them, and asks for a report — a user reads a sentence, never a Java exception name.
 */
public final class DeviceContractException extends DeviceFailureException {
    public DeviceContractException(String device, String what, String libraryMessage) {
        super(device + ": the CUDA library refused " + what + " (" + libraryMessage
                + "); this is a bug in esm2j, please report it with this message; --device cpu avoids it meanwhile");
    }
}
