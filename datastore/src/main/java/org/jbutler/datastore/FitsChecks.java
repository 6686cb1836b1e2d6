package org.jbutler.datastore;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Structural checks of a FITS file before it enters a repository: every HDU's header is whole
 * (2,880-byte blocks of 80-character cards ending in {@code END}) and the file holds the data each
 * header promises ({@code |BITPIX|/8 × GCOUNT × (PCOUNT + NAXIS1 × ... × NAXISn)}, padded to 2,880
 * bytes). A truncated copy, a file cut inside its header, or a file that is not FITS at all fails
 * with a reason that names the HDU and the byte counts.
 *
 * <p>Only headers are read; data is skipped (by seeking in a plain file, by decompressing in a
 * {@code .gz} one).
 */
public final class FitsChecks {

  private static final int BLOCK = 2880;
  private static final int CARD = 80;

  private FitsChecks() {}

  /**
   * Whether a file's name says FITS: {@code .fits}, {@code .fit}, {@code .fz}, with or without
   * {@code .gz}.
   */
  public static boolean isFitsName(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.matches(".*\\.(fits?|fz)(\\.gz)?");
  }

  /**
   * Checks a FITS file's structure.
   *
   * @throws ArtifactException (damaged) naming the file and what is wrong with it
   */
  public static void requireComplete(Path file) {
    String problem = problem(file);
    if (problem != null) {
      throw ArtifactException.damaged(file + " is damaged or not FITS: " + problem + ".", null);
    }
  }

  /** What is wrong with a FITS file's structure, or null if nothing is. */
  public static String problem(Path file) {
    boolean gz = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    try (InputStream raw = Files.newInputStream(file);
        InputStream in =
            gz ? new GZIPInputStream(raw, 1 << 16) : new BufferedInputStream(raw, 1 << 16)) {
      return check(in, gz ? -1 : Files.size(file));
    } catch (java.util.zip.ZipException e) {
      return "it is not a valid gzip file (" + e.getMessage() + ")";
    } catch (java.io.EOFException e) {
      return "the compressed stream ends early (" + e.getMessage() + ")";
    } catch (IOException e) {
      return "it cannot be read (" + e.getMessage() + ")";
    }
  }

  private static String check(InputStream in, long size) throws IOException {
    byte[] block = new byte[BLOCK];
    long[] axes = new long[999]; // NAXISn of the current HDU, reused for every HDU
    long offset = 0;
    for (int hdu = 0; ; hdu++) {
      int n = in.readNBytes(block, 0, BLOCK);
      if (n == 0) {
        return hdu == 0 ? "the file is empty" : null; // the end after a whole HDU
      }
      String first = new String(block, 0, Math.min(n, CARD), StandardCharsets.US_ASCII);
      if (hdu == 0) {
        if (!first.startsWith("SIMPLE  =") || !first.substring(9).trim().startsWith("T")) {
          return "it does not begin with SIMPLE = T, so it is not a FITS file";
        }
      } else if (!first.startsWith("XTENSION=")) {
        return null; // trailing bytes after the last HDU are not an extension: ignore them
      }
      if (n < BLOCK) {
        return "the header of HDU "
            + hdu
            + " is cut short at byte "
            + (offset + n)
            + ", before its END card (headers come in blocks of 2,880 bytes)";
      }
      long bitpix = 0;
      long naxis = -1;
      java.util.Arrays.fill(axes, 0);
      long pcount = 0;
      long gcount = 1;
      boolean end = false;
      long headerStart = offset;
      while (!end) {
        for (int c = 0; c < BLOCK / CARD && !end; c++) {
          String card = new String(block, c * CARD, CARD, StandardCharsets.US_ASCII);
          String key = card.substring(0, 8).trim();
          if (key.equals("END")) {
            end = true;
          } else if (card.length() > 9 && card.charAt(8) == '=') {
            String value = card.substring(10);
            int slash = value.indexOf('/');
            value = (slash >= 0 ? value.substring(0, slash) : value).trim();
            try {
              switch (key) {
                case "BITPIX" -> bitpix = Long.parseLong(value);
                case "NAXIS" -> naxis = Long.parseLong(value);
                case "PCOUNT" -> pcount = Long.parseLong(value);
                case "GCOUNT" -> gcount = Long.parseLong(value);
                default -> {
                  if (key.startsWith("NAXIS") && key.length() > 5) {
                    int i = Integer.parseInt(key.substring(5));
                    if (i >= 1 && i <= 999) {
                      axes[i - 1] = Long.parseLong(value);
                    }
                  }
                }
              }
            } catch (NumberFormatException e) {
              return "HDU " + hdu + " has a malformed " + key + " card: '" + card.trim() + "'";
            }
          }
        }
        offset += BLOCK;
        if (!end) {
          n = in.readNBytes(block, 0, BLOCK);
          if (n < BLOCK) {
            return "the header of HDU "
                + hdu
                + " (from byte "
                + headerStart
                + ") is cut short before its END card: the file ends at byte "
                + (offset + n)
                + " inside it";
          }
        }
      }
      if (bitpix == 0 || naxis < 0 || naxis > 999) {
        return "the header of HDU " + hdu + " lacks a valid BITPIX or NAXIS";
      }
      long elements = 0;
      if (naxis > 0) {
        elements = 1;
        // Random groups (NAXIS1 = 0) count the other axes only.
        for (int i = (axes[0] == 0 && naxis > 1) ? 1 : 0; i < naxis; i++) {
          elements = Math.multiplyExact(elements, axes[i]);
        }
      }
      long bytes =
          naxis == 0 && pcount == 0
              ? 0
              : Math.multiplyExact(
                  Math.abs(bitpix) / 8, Math.multiplyExact(gcount, pcount + elements));
      long padded = (bytes + BLOCK - 1) / BLOCK * BLOCK;
      long skipped = skip(in, padded);
      if (skipped < bytes) {
        return "HDU "
            + hdu
            + " is truncated: its header promises "
            + bytes
            + " bytes of data from byte "
            + offset
            + ", but the file ends "
            + skipped
            + " bytes later"
            + (size >= 0 ? " (at byte " + size + ")" : "");
      }
      offset += skipped;
      if (skipped < padded) {
        return null; // the last HDU without its final padding: the data is whole
      }
    }
  }

  /** Skips up to n bytes and says how many there were. */
  private static long skip(InputStream in, long n) throws IOException {
    long done = 0;
    byte[] scratch = null;
    while (done < n) {
      long s = in.skip(n - done);
      if (s > 0) {
        done += s;
        continue;
      }
      if (scratch == null) {
        scratch = new byte[8192];
      }
      int r = in.read(scratch, 0, (int) Math.min(scratch.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }
}
