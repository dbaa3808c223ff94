/// The shared vocabulary of Certwright: values that every module speaks, such as SPIFFE IDs, trust
/// domains, certificate serial numbers, validity windows and key algorithms.
///
/// Every type here is immutable and cannot hold an invalid value: each has one parsing entry point
/// whose error messages are worded after the specification it implements. This module depends on
/// the JDK only.
@NullMarked
package io.certwright.core;

import org.jspecify.annotations.NullMarked;
