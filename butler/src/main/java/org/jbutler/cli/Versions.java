package org.jbutler.cli;

import picocli.CommandLine;

/** Prints jbutler's version and the Java runtime for {@code --version}. */
public final class Versions implements CommandLine.IVersionProvider {

  @Override
  public String[] getVersion() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return new String[] {
      "jbutler " + (v == null ? "(development build)" : v),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
