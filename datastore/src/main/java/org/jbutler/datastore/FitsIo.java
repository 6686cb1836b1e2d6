package org.jbutler.datastore;

import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.BinaryTable;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.FitsFactory;
import nom.tam.fits.HeaderCard;
import nom.tam.fits.ImageHDU;
import nom.tam.util.Cursor;

/**
 * Reads and writes our in-memory types as FITS through nom-tam-fits.
 *
 * <ul>
 *   <li>An {@link Image} is the primary HDU (BITPIX -32, 32 or -64), its metadata as cards, its
 *       origin as {@code LTV1}/{@code LTV2} (minus x0, y0), as LSST writes it.
 *   <li>An {@link Exposure} is a primary HDU with the metadata and no data, then IMAGE, MASK and
 *       VARIANCE image extensions (EXTNAME).
 *   <li>A {@link ColumnarTable} is a primary HDU with the metadata, then a binary table.
 * </ul>
 *
 * <p>A cut-out reads only the rows it needs (nom-tam-fits' tiler on a random-access file); one
 * component of an exposure is read without the others' pixels.
 */
public final class FitsIo {

  /** Keywords the FITS structure owns; metadata cards with these names are not written. */
  private static final Set<String> STRUCTURAL =
      Set.of(
          "SIMPLE",
          "BITPIX",
          "NAXIS",
          "EXTEND",
          "XTENSION",
          "PCOUNT",
          "GCOUNT",
          "BSCALE",
          "BZERO",
          "END",
          "EXTNAME",
          "TFIELDS",
          "THEAP",
          "LTV1",
          "LTV2",
          "INHERIT");

  /**
   * nom-tam-fits logs a damaged file to java.util.logging before it throws; the exception (which
   * our messages carry) says the same, so its own warnings would only repeat it with a stack trace.
   */
  private static final java.util.logging.Logger NOM_TAM_LOG =
      java.util.logging.Logger.getLogger("nom.tam");

  static {
    FitsFactory.setUseHierarch(true);
    FitsFactory.setLongStringsEnabled(true);
    NOM_TAM_LOG.setLevel(java.util.logging.Level.SEVERE);
  }

  private FitsIo() {}

  private static boolean structural(String key) {
    return STRUCTURAL.contains(key)
        || key.matches("NAXIS\\d+|T(TYPE|FORM|DIM|UNIT|NULL|SCAL|ZERO|DISP)\\d+|Z.*");
  }

  // ------------------------------------------------------------------ writing

  /**
   * Writes an image as the primary HDU of a new file. The header is built by nom-tam-fits; the
   * pixels go straight from the array to the file channel as big-endian blocks (twice as fast as
   * going through nom-tam-fits' [rows][columns] arrays for a 4096 x 4096 image).
   */
  public static void writeImage(Image image, Path file) {
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
            java.nio.file.StandardOpenOption.WRITE)) {
      writeImageHdu(ch, image, null, true);
    } catch (IOException | FitsException e) {
      throw failure("write", file, e);
    }
  }

  private static final int BLOCK = 2880;

  /** Writes one image HDU (primary or IMAGE extension): header, pixels, padding. */
  private static void writeImageHdu(
      java.nio.channels.FileChannel ch, Image image, String extname, boolean primary)
      throws IOException, FitsException {
    nom.tam.fits.Header h = new nom.tam.fits.Header();
    nom.tam.fits.header.Bitpix bitpix =
        image instanceof ImageF
            ? nom.tam.fits.header.Bitpix.FLOAT
            : image instanceof ImageI
                ? nom.tam.fits.header.Bitpix.INTEGER
                : nom.tam.fits.header.Bitpix.DOUBLE;
    if (primary) {
      h.setSimple(true);
    } else {
      h.setXtension("IMAGE");
    }
    h.setBitpix(bitpix);
    h.setNaxes(2);
    h.setNaxis(1, image.width());
    h.setNaxis(2, image.height());
    if (primary) {
      h.addValue("EXTEND", true, "extensions may follow");
    } else {
      h.addValue("PCOUNT", 0, "");
      h.addValue("GCOUNT", 1, "");
    }
    if (extname != null) {
      h.addValue("EXTNAME", extname, "plane");
    }
    h.addValue("LTV1", -image.bbox().x0(), "minus the x origin in the parent");
    h.addValue("LTV2", -image.bbox().y0(), "minus the y origin in the parent");
    addCards(h, image.metadata());
    java.io.ByteArrayOutputStream headerBytes = new java.io.ByteArrayOutputStream();
    try (nom.tam.util.FitsOutputStream out = new nom.tam.util.FitsOutputStream(headerBytes)) {
      h.write(out);
    }
    writeFully(ch, java.nio.ByteBuffer.wrap(headerBytes.toByteArray()));
    java.nio.ByteBuffer buf =
        java.nio.ByteBuffer.allocateDirect(1 << 20).order(java.nio.ByteOrder.BIG_ENDIAN);
    int count = image.width() * image.height();
    int size = image instanceof ImageD ? 8 : 4;
    for (int i = 0; i < count; ) {
      int n = Math.min(count - i, buf.capacity() / size);
      buf.clear();
      if (image instanceof ImageF f) {
        buf.asFloatBuffer().put(f.pixels(), i, n);
      } else if (image instanceof ImageI g) {
        buf.asIntBuffer().put(g.pixels(), i, n);
      } else {
        buf.asDoubleBuffer().put(((ImageD) image).pixels(), i, n);
      }
      buf.limit(n * size);
      writeFully(ch, buf);
      i += n;
    }
    long bytes = (long) size * count;
    int pad = (int) ((BLOCK - bytes % BLOCK) % BLOCK);
    if (pad > 0) {
      writeFully(ch, java.nio.ByteBuffer.allocate(pad));
    }
  }

  private static void writeFully(java.nio.channels.FileChannel ch, java.nio.ByteBuffer b)
      throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /** Writes an exposure: metadata primary HDU, then IMAGE, MASK and VARIANCE extensions. */
  public static void writeExposure(Exposure exposure, Path file) {
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
            java.nio.file.StandardOpenOption.WRITE)) {
      BasicHDU<?> primary = new nom.tam.fits.NullDataHDU();
      // A primary array may not have PCOUNT/GCOUNT (fitsverify), and extensions follow.
      primary.getHeader().deleteKey("PCOUNT");
      primary.getHeader().deleteKey("GCOUNT");
      primary.getHeader().addValue("EXTEND", true, "extensions follow");
      addCards(primary.getHeader(), exposure.metadata());
      java.io.ByteArrayOutputStream headerBytes = new java.io.ByteArrayOutputStream();
      try (nom.tam.util.FitsOutputStream out = new nom.tam.util.FitsOutputStream(headerBytes)) {
        primary.getHeader().write(out);
      }
      writeFully(ch, java.nio.ByteBuffer.wrap(headerBytes.toByteArray()));
      writeImageHdu(ch, exposure.image(), "IMAGE", false);
      writeImageHdu(ch, exposure.mask(), "MASK", false);
      writeImageHdu(ch, exposure.variance(), "VARIANCE", false);
    } catch (IOException | FitsException e) {
      throw failure("write", file, e);
    }
  }

  /** Writes a table: metadata primary HDU, then a binary table with named columns. */
  public static void writeTable(ColumnarTable table, Path file) {
    try (Fits fits = new Fits()) {
      BasicHDU<?> primary = new nom.tam.fits.NullDataHDU();
      primary.getHeader().deleteKey("PCOUNT");
      primary.getHeader().deleteKey("GCOUNT");
      primary.getHeader().addValue("EXTEND", true, "extensions follow");
      addCards(primary.getHeader(), table.metadata());
      fits.addHDU(primary);
      List<String> names = table.names();
      Object[] columns = new Object[names.size()];
      for (int i = 0; i < columns.length; i++) {
        columns[i] = table.column(names.get(i));
      }
      BinaryTableHDU hdu = BinaryTableHDU.wrap(BinaryTable.fromColumnMajor(columns));
      for (int i = 0; i < names.size(); i++) {
        hdu.setColumnName(i, names.get(i), null);
      }
      hdu.getHeader().addValue("EXTNAME", "TABLE", "");
      fits.addHDU(hdu);
      fits.write(file.toFile());
    } catch (IOException | FitsException e) {
      throw failure("write", file, e);
    }
  }

  private static void addCards(nom.tam.fits.Header h, Header metadata) throws FitsException {
    for (Header.Card c : metadata.cards()) {
      if (structural(c.key())) {
        continue;
      }
      String key = c.key().length() > 8 ? "HIERARCH." + c.key() : c.key();
      Object v = c.value();
      HeaderCard card;
      if (v == null) {
        card = new HeaderCard(key, (String) null, c.comment());
      } else if (v instanceof Boolean b) {
        card = new HeaderCard(key, b, c.comment());
      } else if (v instanceof Number n) {
        card = new HeaderCard(key, n, c.comment());
      } else {
        card = new HeaderCard(key, (String) v, c.comment());
      }
      h.deleteKey(key);
      h.addLine(card);
    }
  }

  // ------------------------------------------------------------------ reading

  /**
   * Reads an image from an HDU, optionally only a box of it (in the parent's coordinates).
   *
   * @param hdu the HDU index (0 = primary) or -1 for the first HDU with pixels
   * @param bbox the box to read, or null for all
   * @throws ArtifactException if the file is not FITS, has no such image, or the box is outside
   */
  public static Image readImage(Path file, int hdu, Box bbox) {
    try (Fits fits = new Fits(file.toFile())) {
      ImageHDU image = imageHdu(fits, file, hdu);
      return toImage(image, bbox, file);
    } catch (IOException | FitsException e) {
      throw failure("read", file, e);
    }
  }

  /** Reads an exposure (or, with a box, a cut-out of all three planes). */
  public static Exposure readExposure(Path file, Box bbox) {
    try (Fits fits = new Fits(file.toFile())) {
      Header metadata = toHeader(fits.getHDU(0).getHeader());
      ImageF image = (ImageF) toImage(named(fits, file, "IMAGE"), bbox, file);
      ImageI mask = (ImageI) toImage(named(fits, file, "MASK"), bbox, file);
      ImageF variance = (ImageF) toImage(named(fits, file, "VARIANCE"), bbox, file);
      return new Exposure(image, mask, variance, metadata);
    } catch (IOException | FitsException | ClassCastException e) {
      throw failure("read", file, e);
    }
  }

  /**
   * Reads one component of an exposure without reading the others' pixels: {@code image}, {@code
   * mask}, {@code variance} (optionally a box of it), {@code metadata} or {@code bbox}.
   */
  public static Object readExposureComponent(Path file, String component, Box bbox) {
    try (Fits fits = new Fits(file.toFile())) {
      return switch (component) {
        case "metadata" -> toHeader(fits.getHDU(0).getHeader());
        case "image", "mask", "variance" ->
            toImage(named(fits, file, component.toUpperCase(Locale.ROOT)), bbox, file);
        case "bbox" -> geometry(named(fits, file, "IMAGE"));
        default ->
            throw new ArtifactException(
                "Exposure has no component '"
                    + component
                    + "'; components are image, mask, variance, metadata, bbox.");
      };
    } catch (IOException | FitsException e) {
      throw failure("read", file, e);
    }
  }

  /** Reads the header of an HDU as metadata. */
  public static Header readHeader(Path file, int hdu) {
    try (Fits fits = new Fits(file.toFile())) {
      BasicHDU<?> h = fits.getHDU(hdu);
      if (h == null) {
        throw new ArtifactException("FITS file " + file + " has no HDU " + hdu + ".");
      }
      return toHeader(h.getHeader());
    } catch (IOException | FitsException e) {
      throw failure("read", file, e);
    }
  }

  /**
   * Reads an extension's header on top of the primary header (the extension's cards win), as a
   * multi-extension raw file describes one detector.
   */
  public static Header readMergedHeader(Path file, int hdu) {
    try (Fits fits = new Fits(file.toFile())) {
      BasicHDU<?> h = fits.getHDU(hdu);
      if (h == null) {
        throw new ArtifactException("FITS file " + file + " has no HDU " + hdu + ".");
      }
      Header merged = toHeader(fits.getHDU(0).getHeader());
      for (Header.Card c : toHeader(h.getHeader()).cards()) {
        merged.set(c.key(), c.value(), c.comment());
      }
      return merged;
    } catch (IOException | FitsException e) {
      throw failure("read", file, e);
    }
  }

  /**
   * One HDU's header (without structural cards), its EXTNAME (null if none) and whether it holds a
   * 2-D image.
   */
  public record HduHeader(int index, Header header, String extname, boolean image) {}

  /** Reads every HDU's header of a file (not their pixels), primary first. */
  public static List<HduHeader> readHeaders(Path file) {
    try (Fits fits = new Fits(file.toFile())) {
      List<HduHeader> out = new java.util.ArrayList<>();
      for (int i = 0; ; i++) {
        BasicHDU<?> h = fits.getHDU(i);
        if (h == null) {
          return out;
        }
        boolean image =
            h instanceof ImageHDU img && img.getAxes() != null && img.getAxes().length == 2;
        String extname = h.getHeader().getStringValue("EXTNAME");
        out.add(
            new HduHeader(
                i, toHeader(h.getHeader()), extname == null ? null : extname.trim(), image));
      }
    } catch (IOException | FitsException e) {
      throw failure("read", file, e);
    }
  }

  /**
   * Reads a table, optionally only some columns.
   *
   * @param columns the columns wanted, in that order, or null for all
   */
  public static ColumnarTable readTable(Path file, List<String> columns) {
    try (Fits fits = new Fits(file.toFile())) {
      Header metadata = toHeader(fits.getHDU(0).getHeader());
      BasicHDU<?> hdu = fits.getHDU(1);
      if (!(hdu instanceof BinaryTableHDU table)) {
        throw new ArtifactException("FITS file " + file + " has no binary table in HDU 1.");
      }
      Map<String, Integer> index = new LinkedHashMap<>();
      for (int i = 0; i < table.getNCols(); i++) {
        index.put(table.getColumnName(i), i);
      }
      List<String> wanted = columns == null ? new ArrayList<>(index.keySet()) : columns;
      Map<String, Object> out = new LinkedHashMap<>();
      for (String name : wanted) {
        Integer i = index.get(name);
        if (i == null) {
          throw new ArtifactException(
              "Table "
                  + file
                  + " has no column '"
                  + name
                  + "'; columns are "
                  + index.keySet()
                  + ".");
        }
        out.put(name, table.getData().getColumn(i));
      }
      return new ColumnarTable(out, metadata);
    } catch (IOException | FitsException e) {
      throw failure("read", file, e);
    }
  }

  /** A table's column names and row count. */
  public record TableShape(List<String> names, long rows) {}

  /** Reads a table's column names and row count from its header, without its data. */
  public static TableShape readTableShape(Path file) {
    try (Fits fits = new Fits(file.toFile())) {
      BasicHDU<?> hdu = fits.getHDU(1);
      if (!(hdu instanceof BinaryTableHDU table)) {
        throw new ArtifactException("FITS file " + file + " has no binary table in HDU 1.");
      }
      List<String> names = new ArrayList<>();
      for (int i = 0; i < table.getNCols(); i++) {
        names.add(table.getColumnName(i));
      }
      return new TableShape(names, table.getHeader().getLongValue("NAXIS2", 0));
    } catch (IOException | FitsException e) {
      throw failure("read", file, e);
    }
  }

  private static ImageHDU imageHdu(Fits fits, Path file, int index)
      throws FitsException, IOException {
    if (index >= 0) {
      BasicHDU<?> h = fits.getHDU(index);
      if (h instanceof ImageHDU i && i.getAxes() != null && i.getAxes().length == 2) {
        return i;
      }
      throw new ArtifactException("HDU " + index + " of " + file + " is not a 2-D image.");
    }
    for (int i = 0; ; i++) {
      BasicHDU<?> h = fits.getHDU(i);
      if (h == null) {
        throw new ArtifactException("FITS file " + file + " holds no 2-D image.");
      }
      if (h instanceof ImageHDU img && img.getAxes() != null && img.getAxes().length == 2) {
        return img;
      }
    }
  }

  private static ImageHDU named(Fits fits, Path file, String extname)
      throws FitsException, IOException {
    BasicHDU<?> h = fits.getHDU(extname);
    if (!(h instanceof ImageHDU i)) {
      throw new ArtifactException(
          "FITS file " + file + " has no " + extname + " extension; is it an exposure?");
    }
    return i;
  }

  private static Box geometry(ImageHDU hdu) throws FitsException {
    int[] axes = hdu.getAxes();
    nom.tam.fits.Header h = hdu.getHeader();
    int x0 = -(int) h.getDoubleValue("LTV1", 0);
    int y0 = -(int) h.getDoubleValue("LTV2", 0);
    return new Box(x0, y0, axes[1], axes[0]);
  }

  private static Image toImage(ImageHDU hdu, Box bbox, Path file)
      throws FitsException, IOException {
    Box full = geometry(hdu);
    Box box = bbox == null ? full : bbox;
    if (!box.isInside(full)) {
      throw new ArtifactException(
          "Cut-out " + box + " is outside the image " + full + " in " + file + ".");
    }
    int bitpix = hdu.getHeader().getIntValue("BITPIX");
    double bscale = hdu.getHeader().getDoubleValue("BSCALE", 1.0);
    double bzero = hdu.getHeader().getDoubleValue("BZERO", 0.0);
    Object flat;
    boolean plain = bscale == 1.0 && bzero == 0.0;
    if (bbox == null && plain && (bitpix == -32 || bitpix == 32 || bitpix == -64)) {
      flat = readPixels(file, hdu.getData().getFileOffset(), bitpix, full.width() * full.height());
    } else if (bbox == null) {
      flat = flatten(hdu.getKernel(), full.width(), full.height(), file);
    } else {
      flat =
          hdu.getTiler()
              .getTile(
                  new int[] {box.y0() - full.y0(), box.x0() - full.x0()},
                  new int[] {box.height(), box.width()});
    }
    Header metadata = toHeader(hdu.getHeader());
    boolean scaled = bscale != 1.0 || bzero != 0.0;
    if (bitpix == -32 && !scaled) {
      return new ImageF(box, (float[]) flat, metadata);
    }
    if (bitpix == 32 && !scaled) {
      return new ImageI(box, (int[]) flat, metadata);
    }
    if (bitpix == -64 && !scaled) {
      return new ImageD(box, (double[]) flat, metadata);
    }
    if ((bitpix == 16 || bitpix == 8) && !scaled) {
      int n = Array.getLength(flat);
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = ((Number) Array.get(flat, i)).intValue() & (bitpix == 8 ? 0xff : 0xffffffff);
      }
      return new ImageI(box, out, metadata);
    }
    // Scaled integers (e.g. unsigned 16-bit via BZERO=32768) become physical values.
    int n = Array.getLength(flat);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (bzero + bscale * ((Number) Array.get(flat, i)).doubleValue());
    }
    return new ImageF(box, out, metadata);
  }

  /**
   * Reads a whole image's pixels straight from the file into a flat array (the data offset comes
   * from nom-tam-fits' header parse), avoiding the [rows][columns] copy.
   */
  private static Object readPixels(Path file, long offset, int bitpix, int count)
      throws IOException {
    int bytesPer = bitpix == -64 ? 8 : 4;
    long bytes = (long) count * bytesPer;
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
      if (offset < 0 || offset + bytes > ch.size()) {
        throw ArtifactException.damaged(
            "The image data in " + file + " is missing or truncated; the file is damaged.", null);
      }
      java.nio.ByteBuffer buf =
          java.nio.ByteBuffer.allocateDirect(1 << 20).order(java.nio.ByteOrder.BIG_ENDIAN);
      Object out =
          bitpix == -32 ? new float[count] : bitpix == 32 ? new int[count] : new double[count];
      long position = offset;
      int done = 0;
      while (done < count) {
        buf.clear();
        int want = (int) Math.min(buf.capacity() / bytesPer, count - done) * bytesPer;
        buf.limit(want);
        while (buf.hasRemaining()) {
          int n = ch.read(buf, position + buf.position());
          if (n < 0) {
            throw ArtifactException.damaged(
                "The image data in " + file + " is truncated; the file is damaged.", null);
          }
        }
        buf.flip();
        int values = want / bytesPer;
        if (out instanceof float[] f) {
          buf.asFloatBuffer().get(f, done, values);
        } else if (out instanceof int[] i) {
          buf.asIntBuffer().get(i, done, values);
        } else {
          buf.asDoubleBuffer().get((double[]) out, done, values);
        }
        done += values;
        position += want;
      }
      return out;
    }
  }

  /** A [rows][columns] array (or an already flat one) as one row-major array. */
  private static Object flatten(Object kernel, int width, int height, Path file) {
    if (kernel == null) {
      throw ArtifactException.damaged(
          "The image data in " + file + " is missing or truncated; the file is damaged.", null);
    }
    if (!kernel.getClass().getComponentType().isArray()) {
      return kernel;
    }
    Class<?> type = kernel.getClass().getComponentType().getComponentType();
    Object out = Array.newInstance(type, width * height);
    for (int y = 0; y < height; y++) {
      System.arraycopy(Array.get(kernel, y), 0, out, y * width, width);
    }
    return out;
  }

  private static Header toHeader(nom.tam.fits.Header h) {
    Header out = new Header();
    Cursor<String, HeaderCard> it = h.iterator();
    while (it.hasNext()) {
      HeaderCard c = it.next();
      String key = c.getKey();
      if (key == null || !c.isKeyValuePair() || structural(key)) {
        continue;
      }
      if (key.startsWith("HIERARCH.")) {
        key = key.substring("HIERARCH.".length());
      }
      Class<?> type = c.valueType();
      Object value;
      if (type == Boolean.class) {
        value = c.getValue(Boolean.class, null);
      } else if (type == Integer.class
          || type == Long.class
          || type == BigInteger.class
          || type == Short.class
          || type == Byte.class) {
        value = c.getValue(Long.class, null);
      } else if (type == Float.class || type == Double.class || type == BigDecimal.class) {
        value = c.getValue(Double.class, null);
      } else {
        value = c.getValue();
      }
      out.set(key, value, c.getComment());
    }
    return out;
  }

  private static ArtifactException failure(String verb, Path file, Exception e) {
    if (e instanceof ArtifactException a) {
      return a;
    }
    if (verb.startsWith("write")) {
      return new ArtifactException(
          "Cannot " + verb + " FITS file " + file + ": " + e.getMessage(), e);
    }
    return ArtifactException.damaged(
        "Cannot "
            + verb
            + " FITS file "
            + file
            + ": "
            + e.getMessage()
            + " (is it a valid FITS file?)",
        e);
  }
}
