package org.esm2j.device;

/**
 * A device cannot go on (driver or CUDA error, lost GPU, a failure injected in a test). The scheduler takes
 * it out of the run and gives its unfinished batches to the other devices; the run fails only when every
 * device has failed.
 */
public class DeviceFailureException extends RuntimeException {
    public DeviceFailureException(String message) {
        super(message);
    }

    public DeviceFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
