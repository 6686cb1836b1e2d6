/**
 * The kit every jbutler command line is made of ({@code butler}, {@code pipetask}, the demo): one
 * table of exit codes ({@link org.jbutler.cli.ExitCodes}), the group base class with {@code
 * --log-level} and {@code --options-file} ({@link org.jbutler.cli.CommandGroup}), {@code --format}
 * and result printing (tables, JSON, CSV), progress bars and the version. Public so that programs
 * built on jbutler behave the same way; no compatibility promise beyond that.
 */
package org.jbutler.cli;
