package org.esm2j.cli;

/**
 * A mistake on the command line that picocli cannot see by itself (options that contradict each other, a value out of
 * range): exit 2 with the message, which names the flags.
 */
final class UsageException extends IllegalArgumentException {
    UsageException(String message) {
        super(message);
    }
}
