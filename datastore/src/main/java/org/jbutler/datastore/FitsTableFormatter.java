package org.jbutler.datastore;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Tables as FITS binary tables; reads a subset of columns, or the column names alone. */
public final class FitsTableFormatter implements Formatter {

  @Override
  public String extension() {
    return ".fits";
  }

  @Override
  public Set<String> parameters() {
    return Set.of("columns");
  }

  @Override
  public void write(Object object, Path file) {
    FitsIo.writeTable(Formatter.expect(object, ColumnarTable.class, this), file);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object read(Path file, Class<?> type, String component, Map<String, Object> parameters) {
    checkParameters(parameters);
    List<String> columns = (List<String>) parameters.get("columns");
    if ("columns".equals(component)) {
      return FitsIo.readTableShape(file).names();
    }
    if ("rowcount".equals(component)) {
      return FitsIo.readTableShape(file).rows();
    }
    if ("metadata".equals(component)) {
      return FitsIo.readHeader(file, 0);
    }
    if (component != null) {
      throw new ArtifactException(
          "A table has no component '"
              + component
              + "'; components are columns, rowcount, metadata.");
    }
    return FitsIo.readTable(file, columns);
  }
}
