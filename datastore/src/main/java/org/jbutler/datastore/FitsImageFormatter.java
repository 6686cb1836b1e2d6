package org.jbutler.datastore;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Images as the primary HDU of a FITS file; reads cut-outs and the metadata or bbox alone. The
 * {@code hdu} read parameter picks an extension (default: the first HDU with pixels), so one
 * multi-extension raw file can hold several detectors' datasets.
 */
public final class FitsImageFormatter implements Formatter {

  @Override
  public String extension() {
    return ".fits";
  }

  @Override
  public Set<String> parameters() {
    return Set.of("bbox", "hdu");
  }

  @Override
  public void write(Object object, Path file) {
    FitsIo.writeImage(Formatter.expect(object, Image.class, this), file);
  }

  @Override
  public Object read(Path file, Class<?> type, String component, Map<String, Object> parameters) {
    checkParameters(parameters);
    Object hduParameter = parameters.getOrDefault("hdu", -1);
    if (!(hduParameter instanceof Integer hdu)) {
      throw new ArtifactException("The read parameter hdu must be an integer, not " + hduParameter);
    }
    if ("metadata".equals(component)) {
      return hdu > 0 ? FitsIo.readMergedHeader(file, hdu) : FitsIo.readHeader(file, 0);
    }
    Box bbox = (Box) parameters.get("bbox");
    Image image = FitsIo.readImage(file, hdu, bbox);
    if ("bbox".equals(component)) {
      return image.bbox();
    }
    if (component != null) {
      throw new ArtifactException(
          "An image has no component '" + component + "'; components are metadata, bbox.");
    }
    return image;
  }
}
