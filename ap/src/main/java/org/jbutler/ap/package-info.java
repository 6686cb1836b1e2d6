/** An Alert-Production-style example pipeline and the end-to-end demo. */
package org.jbutler.ap;
