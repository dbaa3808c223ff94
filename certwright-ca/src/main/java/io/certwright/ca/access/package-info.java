/// Who may ask for what: API tokens with roles, provisioners (as in step-ca) naming the names, profiles and
/// lifetimes each kind of requester may get, and single-use enrollment tokens. Secrets are stored only as
/// SHA-256 hashes and compared in constant time.
@NullMarked
package io.certwright.ca.access;

import org.jspecify.annotations.NullMarked;
