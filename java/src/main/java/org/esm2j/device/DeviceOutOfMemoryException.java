package org.esm2j.device;

/**
 * A batch did not fit in the device's memory. The device is still usable: the scheduler releases its
 * workspace, halves the batch and runs the same sequences again.
 */
public class DeviceOutOfMemoryException extends RuntimeException {
    public DeviceOutOfMemoryException(String message) {
        super(message);
    }
}
