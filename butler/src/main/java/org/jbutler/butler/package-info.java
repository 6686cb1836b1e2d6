/** The Butler facade, repository configuration, import/export and the butler command-line tool. */
package org.jbutler.butler;
