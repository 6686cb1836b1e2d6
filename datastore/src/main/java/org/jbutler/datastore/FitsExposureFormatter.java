package org.jbutler.datastore;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Exposures as multi-extension FITS (metadata primary, IMAGE, MASK, VARIANCE); components and
 * cut-outs read only what they need.
 */
public final class FitsExposureFormatter implements Formatter {

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
    FitsIo.writeExposure(Formatter.expect(object, Exposure.class, this), file);
  }

  @Override
  public Object read(Path file, Class<?> type, String component, Map<String, Object> parameters) {
    checkParameters(parameters);
    Box bbox = (Box) parameters.get("bbox");
    if (component != null) {
      return FitsIo.readExposureComponent(file, component, bbox);
    }
    return FitsIo.readExposure(file, bbox);
  }
}
