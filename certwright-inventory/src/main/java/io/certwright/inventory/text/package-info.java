/// Writing JSON, CSV and HTML text safely: every string is escaped for the format it lands in, so names and
/// subjects taken from certificates cannot break out of a JSON string, a CSV cell or an HTML element.
@NullMarked
package io.certwright.inventory.text;

import org.jspecify.annotations.NullMarked;
