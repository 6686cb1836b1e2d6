package org.jbutler.datastore;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Images as the primary HDU of a FITS file; reads cut-outs and the metadata or bbox alone. */
public final class FitsImageFormatter implements Formatter {

  @Override
  public String extension() {
    return ".fits";
  }

  @Override
  public Set<String> parameters() {
    return Set.of("bbox");
  }

  @Override
  public void write(Object object, Path file) {
    FitsIo.writeImage(Formatter.expect(object, Image.class, this), file);
  }

  @Override
  public Object read(Path file, Class<?> type, String component, Map<String, Object> parameters) {
    checkParameters(parameters);
    if ("metadata".equals(component)) {
      return FitsIo.readHeader(file, 0);
    }
    Box bbox = (Box) parameters.get("bbox");
    Image image = FitsIo.readImage(file, 0, bbox);
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
