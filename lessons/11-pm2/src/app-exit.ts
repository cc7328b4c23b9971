/** The exit code of an instance whose port is taken: ecosystem.config.cjs's stop_exit_codes lists it. */
export const PORT_IN_USE_EXIT = 78;
