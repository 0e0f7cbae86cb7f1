package io.servesim.experiments.cli;

/**
 * A user mistake detected by a command (conflicting flags, a missing results folder, …): printed as
 * one line, exit status 2.
 */
public final class UserInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserInputException(String message) {
        super(message);
    }
}
